#pragma once

// A strict reader of the Prometheus text exposition (0.0.4) for tests: every sample line is
// parsed (label escapes included), every sample must belong to a family whose # TYPE came
// first, a family's lines must be contiguous, and no series may repeat. errors lists every
// violation; samples maps a canonical series key to its value.

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

namespace hd::test {

class Exposition
{
public:
    static Exposition parse(const QByteArray &text);

    // Canonical key: name{a="x",b="y"} with labels sorted by name, values unescaped.
    static QString key(const QString &name, const QMap<QString, QString> &labels = {});

    bool has(const QString &name, const QMap<QString, QString> &labels = {}) const
    {
        return samples.contains(key(name, labels));
    }
    double value(const QString &name, const QMap<QString, QString> &labels = {}) const
    {
        return samples.value(key(name, labels), -1e300);
    }
    // Every label value that a label name takes anywhere in the exposition.
    QStringList labelValues(const QString &label) const;

    QHash<QString, double> samples;
    QHash<QString, QString> types; // family → counter|gauge|histogram|…
    QHash<QString, QString> help;
    QList<QMap<QString, QString>> labelSets;
    QStringList errors;
};

} // namespace hd::test
