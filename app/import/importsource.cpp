#include "importsource.h"

#include "curlimporter.h"
#include "harimporter.h"
#include "openapiimporter.h"
#include "postmanimporter.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace hd {

QString toString(ImportFormat format)
{
    switch (format) {
    case ImportFormat::Curl:
        return QStringLiteral("curl");
    case ImportFormat::OpenApi:
        return QStringLiteral("openapi");
    case ImportFormat::Postman:
        return QStringLiteral("postman");
    case ImportFormat::Har:
        return QStringLiteral("har");
    }
    return {};
}

std::optional<ImportFormat> importFormatFromString(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"curl")
        return ImportFormat::Curl;
    if (n == u"openapi" || n == u"swagger")
        return ImportFormat::OpenApi;
    if (n == u"postman")
        return ImportFormat::Postman;
    if (n == u"har")
        return ImportFormat::Har;
    return std::nullopt;
}

std::optional<QByteArray> readImportFile(const QString &path, QString *error)
{
    QFile f(path);
    if (QFileInfo(path).isDir() || !f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot open: %2")
                         .arg(path, QFileInfo(path).isDir() ? QStringLiteral("is a directory")
                                                            : f.errorString());
        return std::nullopt;
    }
    // size() is 0 for pipes and devices: read one byte past the limit instead of trusting it.
    QByteArray data = f.read(ImportMaxBytes + 1);
    if (data.size() > ImportMaxBytes) {
        if (error)
            *error = QStringLiteral("%1: larger than %2 MiB; not imported")
                         .arg(path)
                         .arg(ImportMaxBytes / (1024 * 1024));
        return std::nullopt;
    }
    return data;
}

std::optional<ImportFormat> detectImportFormat(const QString &fileName, const QByteArray &contents)
{
    // The first few KiB decide; the importers check the rest.
    const QByteArray head = contents.left(64 * 1024);
    const QString lower = fileName.toLower();
    const bool jsonLike = head.trimmed().startsWith('{');
    if (jsonLike) {
        if (head.contains("\"log\"") && head.contains("\"entries\""))
            return ImportFormat::Har;
        if (head.contains("schema.getpostman.com") || head.contains("\"_postman_id\"")
            || (head.contains("\"info\"") && head.contains("\"item\"")))
            return ImportFormat::Postman;
        if (head.contains("\"openapi\"") || head.contains("\"swagger\""))
            return ImportFormat::OpenApi;
    }
    static const QRegularExpression openApiYaml(
        QStringLiteral("^\\s*[\"']?(openapi|swagger)[\"']?\\s*:"),
        QRegularExpression::MultilineOption);
    if (!jsonLike && openApiYaml.match(QString::fromUtf8(head)).hasMatch())
        return ImportFormat::OpenApi;
    static const QRegularExpression curlLine(QStringLiteral("^\\s*(\\$\\s+)?curl(\\.exe)?\\s"),
                                             QRegularExpression::MultilineOption);
    if (curlLine.match(QString::fromUtf8(head)).hasMatch())
        return ImportFormat::Curl;
    if (lower.endsWith(QStringLiteral(".har")))
        return ImportFormat::Har;
    if (lower.endsWith(QStringLiteral(".postman_collection.json")))
        return ImportFormat::Postman;
    if (lower.endsWith(QStringLiteral(".yaml")) || lower.endsWith(QStringLiteral(".yml")))
        return ImportFormat::OpenApi;
    if (lower.endsWith(QStringLiteral(".sh")) || lower.endsWith(QStringLiteral(".curl")))
        return ImportFormat::Curl;
    return std::nullopt;
}

ImportResult runImporter(ImportFormat format, const QByteArray &contents, const QString &origin,
                         const QByteArray &environment, const QString &environmentOrigin)
{
    switch (format) {
    case ImportFormat::Curl:
        return importCurl(contents, origin);
    case ImportFormat::OpenApi:
        return importOpenApi(contents, origin);
    case ImportFormat::Postman:
        return importPostman(contents, origin, environment, environmentOrigin);
    case ImportFormat::Har:
        return importHar(contents, origin);
    }
    return {};
}

} // namespace hd
