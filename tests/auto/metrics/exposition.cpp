#include "exposition.h"

#include <QSet>

#include <limits>

namespace hd::test {
namespace {

QString familyOf(const QString &name, const QHash<QString, QString> &types)
{
    if (types.contains(name))
        return name;
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        const QString s = QLatin1String(suffix);
        if (name.endsWith(s)) {
            const QString base = name.left(name.size() - s.size());
            if (types.value(base) == u"histogram" || types.value(base) == u"summary")
                return base;
        }
    }
    return {};
}

bool parseValue(const QString &text, double &out)
{
    if (text == u"+Inf") {
        out = std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == u"-Inf") {
        out = -std::numeric_limits<double>::infinity();
        return true;
    }
    if (text == u"NaN") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    bool ok = false;
    out = text.toDouble(&ok);
    return ok;
}

} // namespace

QString Exposition::key(const QString &name, const QMap<QString, QString> &labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        parts.append(it.key() + QStringLiteral("=\"") + it.value() + u'"');
    return name + u'{' + parts.join(u',') + u'}';
}

QStringList Exposition::labelValues(const QString &label) const
{
    QSet<QString> values;
    for (const auto &set : labelSets)
        if (set.contains(label))
            values.insert(set.value(label));
    QStringList out(values.cbegin(), values.cend());
    out.sort();
    return out;
}

Exposition Exposition::parse(const QByteArray &bytes)
{
    Exposition x;
    const QString text = QString::fromUtf8(bytes);
    if (!text.isEmpty() && !text.endsWith(u'\n'))
        x.errors.append(QStringLiteral("the exposition does not end with a line feed"));
    QString current; // family of the previous line
    QSet<QString> closed;
    int lineNo = 0;
    for (const QString &line : text.split(u'\n')) {
        ++lineNo;
        auto error = [&](const QString &what) {
            x.errors.append(QStringLiteral("line %1: %2: %3").arg(lineNo).arg(what, line));
        };
        if (line.isEmpty())
            continue;
        if (line.startsWith(QStringLiteral("# HELP "))
            || line.startsWith(QStringLiteral("# TYPE "))) {
            const QString rest = line.mid(7);
            const qsizetype sp = rest.indexOf(u' ');
            const QString name = sp < 0 ? rest : rest.left(sp);
            const QString arg = sp < 0 ? QString() : rest.mid(sp + 1);
            if (name != current) {
                if (!current.isEmpty())
                    closed.insert(current);
                if (closed.contains(name))
                    error(QStringLiteral("family %1 appears twice").arg(name));
                current = name;
            }
            if (line.startsWith(QStringLiteral("# TYPE "))) {
                if (x.types.contains(name))
                    error(QStringLiteral("second TYPE"));
                x.types.insert(name, arg);
            } else {
                x.help.insert(name, arg);
            }
            continue;
        }
        if (line.startsWith(u'#'))
            continue;
        // name{labels} value
        qsizetype i = 0;
        while (i < line.size() && line[i] != u'{' && line[i] != u' ')
            ++i;
        const QString name = line.left(i);
        QMap<QString, QString> labels;
        if (i < line.size() && line[i] == u'{') {
            ++i;
            while (i < line.size() && line[i] != u'}') {
                qsizetype eq = line.indexOf(u'=', i);
                if (eq < 0 || eq + 1 >= line.size() || line[eq + 1] != u'"') {
                    error(QStringLiteral("bad label"));
                    break;
                }
                const QString label = line.mid(i, eq - i);
                QString value;
                qsizetype j = eq + 2;
                bool closedQuote = false;
                for (; j < line.size(); ++j) {
                    const QChar c = line[j];
                    if (c == u'\\' && j + 1 < line.size()) {
                        const QChar n = line[++j];
                        if (n == u'n')
                            value += u'\n';
                        else if (n == u'\\' || n == u'"')
                            value += n;
                        else
                            error(QStringLiteral("bad escape"));
                    } else if (c == u'"') {
                        closedQuote = true;
                        break;
                    } else {
                        value += c;
                    }
                }
                if (!closedQuote) {
                    error(QStringLiteral("unterminated label value"));
                    break;
                }
                if (labels.contains(label))
                    error(QStringLiteral("repeated label %1").arg(label));
                labels.insert(label, value);
                i = j + 1;
                if (i < line.size() && line[i] == u',')
                    ++i;
            }
            ++i; // '}'
        }
        if (i >= line.size() || line[i] != u' ') {
            error(QStringLiteral("no value"));
            continue;
        }
        const QStringList rest = line.mid(i + 1).split(u' ', Qt::SkipEmptyParts);
        double v = 0;
        if (rest.isEmpty() || rest.size() > 2 || !parseValue(rest[0], v)) {
            error(QStringLiteral("bad value"));
            continue;
        }
        const QString family = familyOf(name, x.types);
        if (family.isEmpty())
            error(QStringLiteral("sample without a TYPE line"));
        else if (family != current)
            error(QStringLiteral("sample of %1 outside its family's block").arg(family));
        const QString k = key(name, labels);
        if (x.samples.contains(k))
            error(QStringLiteral("repeated series"));
        x.samples.insert(k, v);
        x.labelSets.append(labels);
    }
    return x;
}

} // namespace hd::test
