#pragma once

// Small helpers shared by tests: temporary directories, fixture paths, running hdeck.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace hd::test {

// Path of a file under the source tree (HDECK_SOURCE_DIR set by ctest, else compiled in).
QString sourcePath(const QString &relative);
// Path of the built hdeck executable.
QString hdeckPath();

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool finished = false;
};
// Runs hdeck with args; stdin is closed unless input is given. Kills it after timeoutMs.
ProcessResult runHdeck(const QStringList &args, int timeoutMs = 30000,
                       const QByteArray &input = {});

} // namespace hd::test

// Compares two schema enums (Category, Outcome, ErrorType, RetryAction) by their schema names,
// so a failure prints "rate_limited" vs "locked" rather than two numbers.
#include "eventtypes.h"
#define HD_COMPARE_ENUM(actual, expected)                                                          \
    QCOMPARE(hd::toQString(hd::toString(actual)), hd::toQString(hd::toString(expected)))

// For tests registered with KEYRING (ctest runs them through with-keyring.sh, which sets
// HD_IN_KEYRING_SESSION and starts a private bus with an unlocked gnome-keyring). Run by hand
// without a session bus the test is skipped, saying how to run it; inside the wrapper a missing
// bus is a failure, so a broken wrapper can never turn the keychain tests into silent skips.
#define HD_REQUIRE_KEYRING_SESSION()                                                               \
    do {                                                                                           \
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {                             \
            if (qEnvironmentVariableIsSet("HD_IN_KEYRING_SESSION"))                                \
                QFAIL("with-keyring.sh started no D-Bus session");                                 \
            QSKIP("no D-Bus session: run through ctest (with-keyring.sh)");                        \
        }                                                                                          \
    } while (false)
