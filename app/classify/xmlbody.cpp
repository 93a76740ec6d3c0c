#include "xmlbody.h"

#include <QXmlStreamReader>

#include <vector>

namespace hd {
namespace {

struct Frame
{
    std::string name;
    nlohmann::json children = nlohmann::json::object();
    std::string text;
    bool hasChildren = false;
};

void addChild(Frame &parent, const std::string &name, nlohmann::json value)
{
    parent.hasChildren = true;
    auto it = parent.children.find(name);
    if (it == parent.children.end()) {
        parent.children[name] = std::move(value);
        return;
    }
    if (!it->is_array()) // values are objects or strings; an array means repeats so far
        *it = nlohmann::json::array({std::move(*it)});
    it->push_back(std::move(value));
}

std::optional<nlohmann::json> read(QXmlStreamReader &xml);

} // namespace

std::optional<nlohmann::json> XmlBody::toJson(const QByteArray &body)
{
    QXmlStreamReader xml(body);
    return read(xml);
}

std::optional<nlohmann::json> XmlBody::toJson(const QString &text)
{
    QXmlStreamReader xml(text);
    return read(xml);
}

namespace {

std::optional<nlohmann::json> read(QXmlStreamReader &xml)
{
    constexpr int MaxDepth = XmlBody::MaxDepth;
    constexpr int MaxElements = XmlBody::MaxElements;
    constexpr qsizetype MaxText = XmlBody::MaxText;
    // Internal entity declarations may expand; keep that small (billion laughs).
    xml.setEntityExpansionLimit(1024);
    std::vector<Frame> stack;
    std::optional<nlohmann::json> root;
    int elements = 0;
    while (!xml.atEnd()) {
        switch (xml.readNext()) {
        case QXmlStreamReader::StartElement: {
            if (++elements > MaxElements || int(stack.size()) >= MaxDepth || root)
                return std::nullopt;
            Frame f;
            f.name = xml.name().toString().toStdString();
            stack.push_back(std::move(f));
            break;
        }
        case QXmlStreamReader::Characters:
            if (!stack.empty() && !xml.isWhitespace()) {
                std::string &t = stack.back().text;
                if (qsizetype(t.size()) < MaxText)
                    t += xml.text().left(MaxText - qsizetype(t.size())).toString().toStdString();
            }
            break;
        case QXmlStreamReader::EndElement: {
            if (stack.empty())
                return std::nullopt;
            Frame f = std::move(stack.back());
            stack.pop_back();
            nlohmann::json value;
            if (f.hasChildren) {
                value = std::move(f.children);
                if (!f.text.empty())
                    value["#text"] = f.text;
            } else {
                // Trim the text: <Message>\n  Access Denied\n</Message>
                const auto b = f.text.find_first_not_of(" \t\r\n");
                const auto e = f.text.find_last_not_of(" \t\r\n");
                value = b == std::string::npos ? std::string() : f.text.substr(b, e - b + 1);
            }
            if (stack.empty())
                root = nlohmann::json::object({{f.name, std::move(value)}});
            else
                addChild(stack.back(), f.name, std::move(value));
            break;
        }
        default:
            break;
        }
    }
    if (xml.hasError() || !root)
        return std::nullopt;
    return root;
}

} // namespace
} // namespace hd
