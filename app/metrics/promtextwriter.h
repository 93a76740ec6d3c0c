#pragma once

// PromTextWriter: builds a Prometheus text exposition (format version 0.0.4). One family at a
// time: family() writes its # HELP and # TYPE lines, sample() its lines. Label values are
// escaped (backslash, double quote, line feed); HELP text escapes backslash and line feed.
// Names are checked against the metric and label name grammars; a bad name is a programming
// error and asserts in debug builds.

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace hd {

using MetricLabels = QList<std::pair<QByteArray, QString>>;

class PromTextWriter
{
public:
    enum class Type { Counter, Gauge, Histogram };

    void family(const char *name, Type type, const char *help);
    void sample(const QByteArray &name, const MetricLabels &labels, double value);
    // A histogram's cumulative buckets (+Inf last), _sum and _count, in that order.
    // upperBounds and cumulativeCounts have the same length (the +Inf bucket is added here).
    void histogram(const QByteArray &name, const MetricLabels &labels,
                   const QList<double> &upperBounds, const QList<quint64> &cumulativeCounts,
                   quint64 count, double sum);

    const QByteArray &text() const { return m_text; }
    QByteArray take() { return std::exchange(m_text, {}); }

    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray escapeHelp(const QByteArray &help);
    static QByteArray formatValue(double value);
    static bool isValidMetricName(const QByteArray &name);
    static bool isValidLabelName(const QByteArray &name);

    // The Content-Type of this format.
    static QByteArray contentType()
    {
        return QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
    }

private:
    void appendLabels(const MetricLabels &labels, const QByteArray &extraName = {},
                      const QByteArray &extraValue = {});

    QByteArray m_text;
};

} // namespace hd
