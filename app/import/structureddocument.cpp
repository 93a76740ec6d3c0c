#include "structureddocument.h"

#include "importbuilder.h"

#include <yaml-cpp/yaml.h>

#include <QRegularExpression>

namespace hd {

namespace {

struct Budget
{
    int nodes = 0;
};

nlohmann::json scalar(const YAML::Node &n)
{
    const std::string &s = n.Scalar();
    // Quoted scalars ("!" tag) and explicit strings stay text; plain ones get YAML's core types.
    if (n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str")
        return s;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    static const QRegularExpression integer(QStringLiteral(R"(^[-+]?[0-9]{1,18}$)"));
    static const QRegularExpression real(
        QStringLiteral(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)"));
    const QString q = QString::fromStdString(s);
    if (integer.match(q).hasMatch())
        return q.toLongLong();
    if (real.match(q).hasMatch() && s.size() < 64) {
        bool ok = false;
        const double d = q.toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return s;
}

nlohmann::json convert(const YAML::Node &n, int depth, Budget &budget)
{
    if (++budget.nodes > StructuredDocument::MaxNodes)
        throw ImportError{{},
                          QStringLiteral("the YAML expands to more than %1 nodes (aliases?); "
                                         "not imported")
                              .arg(StructuredDocument::MaxNodes)};
    if (depth > ImportMaxDepth)
        throw ImportError{QStringLiteral("line %1").arg(n.Mark().line + 1),
                          QStringLiteral("nested deeper than %1 levels").arg(ImportMaxDepth)};
    switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return nullptr;
    case YAML::NodeType::Scalar:
        return scalar(n);
    case YAML::NodeType::Sequence: {
        nlohmann::json a = nlohmann::json::array();
        for (const auto &item : n)
            a.push_back(convert(item, depth + 1, budget));
        return a;
    }
    case YAML::NodeType::Map: {
        nlohmann::json o = nlohmann::json::object();
        nlohmann::json merged = nlohmann::json::object();
        for (const auto &kv : n) {
            if (!kv.first.IsScalar())
                throw ImportError{QStringLiteral("line %1").arg(kv.first.Mark().line + 1),
                                  QStringLiteral("a mapping key must be text")};
            const std::string key = kv.first.Scalar();
            if (key == "<<" && kv.first.Tag() != "!") { // YAML merge key
                const nlohmann::json v = convert(kv.second, depth + 1, budget);
                auto mergeIn = [&](const nlohmann::json &m) {
                    if (m.is_object())
                        for (auto it = m.begin(); it != m.end(); ++it)
                            if (!merged.contains(it.key()))
                                merged[it.key()] = *it;
                };
                if (v.is_array())
                    for (const auto &m : v)
                        mergeIn(m);
                else
                    mergeIn(v);
                continue;
            }
            o[key] = convert(kv.second, depth + 1, budget);
        }
        for (auto it = merged.begin(); it != merged.end(); ++it)
            if (!o.contains(it.key()))
                o[it.key()] = *it;
        return o;
    }
    }
    return nullptr;
}

} // namespace

nlohmann::json StructuredDocument::parseJson(const QByteArray &text)
{
    try {
        return nlohmann::json::parse(
            text.constBegin(), text.constEnd(),
            [](int depth, nlohmann::json::parse_event_t, nlohmann::json &) {
                if (depth > ImportMaxDepth)
                    throw ImportError{
                        {}, QStringLiteral("nested deeper than %1 levels").arg(ImportMaxDepth)};
                return true;
            });
    } catch (const nlohmann::json::parse_error &e) {
        const auto offset = std::min<qsizetype>(qsizetype(e.byte), text.size());
        const QByteArray before = text.left(std::max<qsizetype>(offset - 1, 0));
        const int line = int(before.count('\n')) + 1;
        const int column = int(offset - before.lastIndexOf('\n') - 1);
        throw ImportError{QStringLiteral("line %1:%2").arg(line).arg(column),
                          QStringLiteral("not valid JSON")};
    }
}

nlohmann::json StructuredDocument::parseYaml(const QByteArray &text)
{
    try {
        const YAML::Node root = YAML::Load(text.toStdString());
        Budget budget;
        return convert(root, 0, budget);
    } catch (const YAML::Exception &e) {
        throw ImportError{QStringLiteral("line %1:%2").arg(e.mark.line + 1).arg(e.mark.column + 1),
                          QStringLiteral("not valid YAML (%1)").arg(QString::fromStdString(e.msg))};
    }
}

nlohmann::json StructuredDocument::parse(const QByteArray &text)
{
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '{' || c == '[')
            return parseJson(text);
        break;
    }
    return parseYaml(text);
}

} // namespace hd
