#include "profileregistry.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <mutex>

namespace hd {

ProfileRegistry::ProfileRegistry()
{
    const QDir dir(QStringLiteral(":/healthdeck/profiles"));
    const auto files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &f : files) {
        QFile file(dir.filePath(f));
        if (!file.open(QIODevice::ReadOnly)) {
            m_errors.append(QStringLiteral("%1: cannot read built-in profile").arg(f));
            continue;
        }
        auto r = ProfileParser::parse(file.readAll(), QStringLiteral("built-in:") + f);
        if (r.profile) {
            r.profile->origin = QStringLiteral("built-in");
            insert(std::move(*r.profile));
        } else {
            m_errors.append(r.error);
        }
    }
    sortForDetection();
}

void ProfileRegistry::insert(Profile p)
{
    for (auto &existing : m_profiles) {
        if (existing->name == p.name) {
            *existing = std::move(p);
            return;
        }
    }
    m_profiles.push_back(std::make_unique<Profile>(std::move(p)));
}

void ProfileRegistry::sortForDetection()
{
    m_detectOrder.clear();
    for (const auto &p : m_profiles)
        if (p->name != u"generic" && p->name != u"auto")
            m_detectOrder.push_back(p.get());
    std::stable_sort(m_detectOrder.begin(), m_detectOrder.end(),
                     [](const Profile *a, const Profile *b) { return a->priority < b->priority; });
}

QString ProfileRegistry::addFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const QString e = QStringLiteral("%1: cannot open: %2").arg(path, file.errorString());
        m_errors.append(e);
        return e;
    }
    // Bounded read: size() says 0 for a FIFO or device someone put in the profile folder.
    const QByteArray text = file.read(ProfileParser::MaxBytes + 1);
    if (text.size() > ProfileParser::MaxBytes) {
        const QString e = QStringLiteral("%1: larger than %2 MiB; not a profile")
                              .arg(path)
                              .arg(ProfileParser::MaxBytes / (1024 * 1024));
        m_errors.append(e);
        return e;
    }
    auto r = ProfileParser::parse(text, path);
    if (!r.profile) {
        m_errors.append(r.error);
        return r.error;
    }
    insert(std::move(*r.profile));
    sortForDetection();
    return {};
}

QString ProfileRegistry::addText(const QByteArray &text, const QString &origin)
{
    auto r = ProfileParser::parse(text, origin);
    if (!r.profile) {
        m_errors.append(r.error);
        return r.error;
    }
    insert(std::move(*r.profile));
    sortForDetection();
    return {};
}

QString ProfileRegistry::userDirectory()
{
    const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return config.isEmpty() ? QString() : config + QStringLiteral("/HealthDeck/profiles");
}

void ProfileRegistry::addDirectory(const QString &dirPath)
{
    const QDir dir(dirPath);
    if (!dir.exists())
        return;
    for (const QString &f : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        addFile(dir.filePath(f));
}

void ProfileRegistry::addUserDirectories()
{
    const QString env = qEnvironmentVariable("HDECK_PROFILE_DIR");
    if (const QString dir = userDirectory(); !dir.isEmpty())
        addDirectory(dir);
    for (const QString &d : env.split(QDir::listSeparator(), Qt::SkipEmptyParts))
        addDirectory(d);
}

const Profile *ProfileRegistry::find(const QString &name) const
{
    for (const auto &p : m_profiles)
        if (p->name == name)
            return p.get();
    return nullptr;
}

const Profile &ProfileRegistry::generic() const
{
    static const Profile fallback = [] {
        Profile p;
        p.name = QStringLiteral("generic");
        p.search = true;
        return p;
    }();
    const Profile *g = find(QStringLiteral("generic"));
    return g ? *g : fallback;
}

const Profile &ProfileRegistry::base() const
{
    static const Profile empty = [] {
        Profile p;
        p.name = QStringLiteral("auto");
        return p;
    }();
    const Profile *b = find(QStringLiteral("auto"));
    return b ? *b : empty;
}

const Profile &ProfileRegistry::detect(const QByteArray &contentType, const nlohmann::json *body,
                                       QString *why) const
{
    for (const Profile *p : m_detectOrder)
        if (p->matchesContent(contentType, body, why))
            return *p;
    if (why)
        *why = QStringLiteral("no other profile's content type or shape matched");
    return generic();
}

QList<const Profile *> ProfileRegistry::all() const
{
    QList<const Profile *> out;
    for (const auto &p : m_profiles)
        out.append(p.get());
    return out;
}

std::shared_ptr<const ProfileRegistry> ProfileRegistry::shared()
{
    static std::once_flag once;
    static std::shared_ptr<const ProfileRegistry> instance;
    std::call_once(once, [] {
        auto r = std::make_shared<ProfileRegistry>();
        r->addUserDirectories();
        instance = std::move(r);
    });
    return instance;
}

} // namespace hd
