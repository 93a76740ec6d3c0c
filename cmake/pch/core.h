// Precompiled for every HealthDeck target (cmake/HealthDeckPch.cmake): the QtCore, standard
// library and nlohmann_json headers nearly every file includes. Parsing them once per target
// instead of once per file roughly halves a cold build on two cores. Code must still include
// what it uses: the PCH is an optimisation, switched off with -DHEALTHDECK_PCH=OFF.
#pragma once
#ifdef __cplusplus
#include <QByteArray>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QVariant>
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>
#endif
