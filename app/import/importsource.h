#pragma once

// One way in to the four importers for the console (File → Import…, the first-run dialog):
// read a file within the importers' size limit, guess its format from its name and first
// bytes, and run the right importer. The CLI names the format itself (`hdeck import FORMAT`).

#include "importresult.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace hd {

enum class ImportFormat { Curl, OpenApi, Postman, Har };

QString toString(ImportFormat format); // curl, openapi, postman, har
// "curl", "openapi" (or "swagger"), "postman", "har"; nullopt for anything else.
std::optional<ImportFormat> importFormatFromString(const QString &name);

// Reads at most ImportMaxBytes; nullopt and *error ("<file>: cannot open: …", "<file>:
// larger than 16 MiB") otherwise.
std::optional<QByteArray> readImportFile(const QString &path, QString *error);

// The format a file most likely has: a HAR's "log"/"entries", a Postman collection's
// "info"/"item" (or its schema URL), an OpenAPI/Swagger document's "openapi"/"swagger" key,
// a line starting with curl; then the file name (.har, .yaml/.yml, .postman_collection.json,
// .sh). nullopt when nothing fits.
std::optional<ImportFormat> detectImportFormat(const QString &fileName, const QByteArray &contents);

// Runs the importer of the format. environment: a Postman environment file's contents (ignored
// for other formats).
ImportResult runImporter(ImportFormat format, const QByteArray &contents, const QString &origin,
                         const QByteArray &environment = {}, const QString &environmentOrigin = {});

} // namespace hd
