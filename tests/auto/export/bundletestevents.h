#pragma once

// Events with secrets planted everywhere a secret can hide, and the identifiers a support desk
// needs, for the support-bundle tests. The events are raw (never redacted by the engine), so
// the bundle itself must catch every secret.

#include "apievent.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace hd::test {

struct PlantedBundle
{
    QList<ApiEvent> events;
    QStringList secrets;     // must appear in no file of the bundle, in no form listed
    QStringList identifiers; // must appear in the bundle
    QString workspaceJson;   // credentials naming the held secrets; client ids
    QList<std::pair<QString, QString>> heldSecrets; // HDECK_SECRET_<NAME> → value
};

PlantedBundle plantedBundle(qint64 startMs);

// Any event the HAR and report tests can use: success, JSON error, business error in a 200,
// connection error without a response, POST with a body, a retry chain.
QList<ApiEvent> mixedEvents(qint64 startMs, int count);

} // namespace hd::test
