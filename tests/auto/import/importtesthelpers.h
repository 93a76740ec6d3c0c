#pragma once

// Shared by the importer tests: fixtures, lookups by id, and the check that no secret value
// found by an import ever reaches the proposed workspace.

#include "importmerge.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QFile>
#include <QTest>

// Credential methods compared by their workspace names, so a failure reads "bearer" vs "basic".
#define HD_COMPARE_METHOD(actual, expected) QCOMPARE(hd::toString(actual), hd::toString(expected))

namespace hd::test {

inline QByteArray fixture(const QString &name)
{
    QFile f(sourcePath(QStringLiteral("tests/auto/import/data/") + name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

inline const ImportedEndpoint *endpointAt(const ImportResult &r, const QString &method,
                                          const QString &path)
{
    for (const auto &e : r.endpoints)
        if (e.endpoint.method == method && e.endpoint.path == path)
            return &e;
    return nullptr;
}

inline const Credential *credentialOf(const ImportResult &r, const QString &id)
{
    for (const auto &c : r.credentials)
        if (c.id == id)
            return &c;
    return nullptr;
}

// The secret of that name; an empty one (and a warning) when there is none, so a test fails
// on the comparison that follows rather than crashing.
inline const ImportedSecret *secretNamed(const ImportResult &r, const QString &name)
{
    for (const auto &s : r.secrets)
        if (s.secretName == name)
            return &s;
    static const ImportedSecret none;
    QStringList names;
    for (const auto &s : r.secrets)
        names.append(s.secretName);
    qWarning("no secret %s; there are: %s", qPrintable(name), qPrintable(names.join(u' ')));
    return &none;
}

// Merges everything (selected and not) and checks the workspace loads and holds no value.
inline bool workspaceHasNoSecretValues(const ImportResult &r)
{
    ImportMergeOptions o;
    o.includeUnselectedPaused = true;
    const auto m = mergeImport(Workspace{}, r, o);
    if (!m.ok()) {
        qWarning("merge failed: %s", qPrintable(m.error));
        return false;
    }
    const QByteArray text = QByteArray::fromStdString(WorkspaceFile::toJson(m.workspace).dump());
    for (const auto &s : r.secrets)
        if (s.hasValue() && text.contains(s.value.toUtf8())) {
            qWarning("secret %s leaked into the workspace", qPrintable(s.secretName));
            return false;
        }
    return true;
}

} // namespace hd::test
