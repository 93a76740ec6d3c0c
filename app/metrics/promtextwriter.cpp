#include "promtextwriter.h"

#include <QLocale>

#include <cmath>

namespace hd {
namespace {

bool isNameStart(char c, bool allowColon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':');
}

bool isNameChar(char c, bool allowColon)
{
    return isNameStart(c, allowColon) || (c >= '0' && c <= '9');
}

bool validName(const QByteArray &name, bool allowColon)
{
    if (name.isEmpty() || !isNameStart(name.front(), allowColon))
        return false;
    for (char c : name)
        if (!isNameChar(c, allowColon))
            return false;
    return true;
}

} // namespace

bool PromTextWriter::isValidMetricName(const QByteArray &name)
{
    return validName(name, true);
}

bool PromTextWriter::isValidLabelName(const QByteArray &name)
{
    return validName(name, false) && !name.startsWith("__");
}

QByteArray PromTextWriter::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    for (char c : utf8) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            out += c;
        }
    }
    return out;
}

QByteArray PromTextWriter::escapeHelp(const QByteArray &help)
{
    QByteArray out;
    out.reserve(help.size());
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PromTextWriter::formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest).toLatin1();
}

void PromTextWriter::family(const char *name, Type type, const char *help)
{
    Q_ASSERT(isValidMetricName(QByteArray(name)));
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    m_text += escapeHelp(QByteArray(help));
    m_text += "\n# TYPE ";
    m_text += name;
    switch (type) {
    case Type::Counter:
        m_text += " counter\n";
        break;
    case Type::Gauge:
        m_text += " gauge\n";
        break;
    case Type::Histogram:
        m_text += " histogram\n";
        break;
    }
}

void PromTextWriter::appendLabels(const MetricLabels &labels, const QByteArray &extraName,
                                  const QByteArray &extraValue)
{
    if (labels.isEmpty() && extraName.isEmpty())
        return;
    m_text += '{';
    bool first = true;
    for (const auto &[name, value] : labels) {
        Q_ASSERT(isValidLabelName(name));
        if (!first)
            m_text += ',';
        first = false;
        m_text += name;
        m_text += "=\"";
        m_text += escapeLabelValue(value);
        m_text += '"';
    }
    if (!extraName.isEmpty()) {
        if (!first)
            m_text += ',';
        m_text += extraName;
        m_text += "=\"";
        m_text += extraValue;
        m_text += '"';
    }
    m_text += '}';
}

void PromTextWriter::sample(const QByteArray &name, const MetricLabels &labels, double value)
{
    Q_ASSERT(isValidMetricName(name));
    m_text += name;
    appendLabels(labels);
    m_text += ' ';
    m_text += formatValue(value);
    m_text += '\n';
}

void PromTextWriter::histogram(const QByteArray &name, const MetricLabels &labels,
                               const QList<double> &upperBounds,
                               const QList<quint64> &cumulativeCounts, quint64 count, double sum)
{
    Q_ASSERT(upperBounds.size() == cumulativeCounts.size());
    const QByteArray bucket = name + "_bucket";
    for (qsizetype i = 0; i < upperBounds.size(); ++i) {
        m_text += bucket;
        appendLabels(labels, QByteArrayLiteral("le"), formatValue(upperBounds[i]));
        m_text += ' ';
        m_text += QByteArray::number(cumulativeCounts[i]);
        m_text += '\n';
    }
    m_text += bucket;
    appendLabels(labels, QByteArrayLiteral("le"), QByteArrayLiteral("+Inf"));
    m_text += ' ';
    m_text += QByteArray::number(count);
    m_text += '\n';
    sample(name + "_sum", labels, sum);
    sample(name + "_count", labels, double(count));
}

} // namespace hd
