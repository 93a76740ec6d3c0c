#pragma once

// Built-in profiles (compiled in from resources/profiles/) plus user profiles from
// $HDECK_PROFILE_DIR and <config>/HealthDeck/profiles. Immutable after load, so classifiers on
// worker threads share one registry without locking.

#include "profile.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace hd {

class ProfileRegistry
{
public:
    // Loads the built-in profiles. User directories are added with addDirectory().
    ProfileRegistry();

    // Adds every *.json in dir; a user profile may replace a built-in of the same name.
    // Broken files are skipped and reported in errors() — never silently.
    void addDirectory(const QString &dir);
    // Adds one file; returns the error message or an empty string.
    QString addFile(const QString &path);
    // Adds a profile from text (the console's profile lab); returns the error or empty.
    QString addText(const QByteArray &text, const QString &origin);
    // The user profile folder: <config>/HealthDeck/profiles.
    static QString userDirectory();
    // Adds the user directories named in the environment and the standard config location.
    void addUserDirectories();

    const Profile *find(const QString &name) const;
    // Picks the profile for a body: content type and shape detection, in priority order;
    // `generic` when nothing else fits.
    // why: what selected it (for explanations).
    const Profile &detect(const QByteArray &contentType, const nlohmann::json *body,
                          QString *why = nullptr) const;
    const Profile &generic() const;
    // The `auto` profile: rules that hold under every profile (request-id headers, gRPC status,
    // WWW-Authenticate errors, statuses such as 408). Never picked to read a body itself.
    const Profile &base() const;

    QList<const Profile *> all() const;
    QStringList errors() const { return m_errors; }

    // The process-wide registry with built-ins and user directories.
    static std::shared_ptr<const ProfileRegistry> shared();

private:
    void insert(Profile p);
    void sortForDetection();

    std::vector<std::unique_ptr<Profile>> m_profiles;
    std::vector<const Profile *> m_detectOrder;
    QStringList m_errors;
};

} // namespace hd
