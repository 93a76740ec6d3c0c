#pragma once

// The checked reader the workspace loader parses with (models/workspacefile and the parts of the
// format kept in their own files, such as workspacechannels): every type error, missing member
// and out-of-range number becomes an Invalid with its JSON pointer, which the loader turns into
// the one-line error of DESIGN §5. Internal to models/.

#include <QString>

#include <nlohmann/json.hpp>

#include <string>

namespace hd::workspacejson {

using Json = nlohmann::ordered_json;

struct Invalid
{
    std::string where;
    QString problem;
};

inline QString q(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
inline std::string s(const QString &v)
{
    return v.toStdString();
}

class Reader
{
public:
    Reader(const Json &j, std::string where)
        : m_j(j)
        , m_where(std::move(where))
    {
        if (!m_j.is_object())
            throw Invalid{m_where, QStringLiteral("must be an object")};
    }

    QString str(const char *key, bool required = false, const QString &def = {}) const
    {
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null()) {
            if (required)
                throw Invalid{m_where + "/" + key, QStringLiteral("is required")};
            return def;
        }
        if (!it->is_string())
            throw Invalid{m_where + "/" + key, QStringLiteral("must be a string")};
        return q(it->get<std::string>());
    }

    double num(const char *key, double def, double min, double max) const
    {
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null())
            return def;
        if (!it->is_number())
            throw Invalid{m_where + "/" + key, QStringLiteral("must be a number")};
        const double v = it->get<double>();
        if (v < min || v > max)
            throw Invalid{
                m_where + "/" + key,
                QStringLiteral("must be between %1 and %2, not %3").arg(min).arg(max).arg(v)};
        return v;
    }

    bool boolean(const char *key, bool def) const
    {
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null())
            return def;
        if (!it->is_boolean())
            throw Invalid{m_where + "/" + key, QStringLiteral("must be true or false")};
        return it->get<bool>();
    }

    const Json *array(const char *key) const
    {
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null())
            return nullptr;
        if (!it->is_array())
            throw Invalid{m_where + "/" + key, QStringLiteral("must be an array")};
        return &*it;
    }

    const Json *object(const char *key) const
    {
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null())
            return nullptr;
        if (!it->is_object())
            throw Invalid{m_where + "/" + key, QStringLiteral("must be an object")};
        return &*it;
    }

    const std::string &where() const { return m_where; }

private:
    const Json &m_j;
    std::string m_where;
};

} // namespace hd::workspacejson
