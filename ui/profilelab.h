#pragma once

// The profile lab: teach HealthDeck a vendor's error format without leaving the console.
// Paste or pick a response (status, headers, body), edit a profile's JSON, and the
// classification — with the rule behind each decision — updates as you type; Save writes the
// profile to the user profile folder, where the engine loads it at start-up (docs/profiles.md).
//
// Object names: "profileLab", "labSamples", "labStatus", "labHeaders", "labBody",
// "labStartFrom", "labProfile", "labResult", "labSave", "labSaveNote".

#include "apievent.h"
#include "explanation.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTextBrowser;
class QTimer;

namespace hd {

class ProfileLab : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileLab(QWidget *parent = nullptr);

    // Where Save writes; the user profile folder unless set (tests use a temporary one).
    void setProfileDirectory(const QString &dir) { m_dir = dir; }
    QString profileDirectory() const { return m_dir; }

    void setResponse(int status, const QString &headers, const QString &body);
    void setProfileText(const QString &json);
    // Classifies now instead of after the typing pause.
    void refresh();

    // The last result: the event, its explanation, and the profile error (empty when it loads).
    const ApiEvent &result() const { return m_event; }
    const Explanation &explanation() const { return m_why; }
    QString profileError() const { return m_profileError; }
    // Saves the profile as <name>.json in profileDirectory(); returns the path or empty (the
    // reason is in the note beside the button).
    QString save();

signals:
    void classified();

private:
    void pickSample(int index);
    void startFrom(int index);
    QString resultHtml() const;

    QString m_dir;
    ApiEvent m_event;
    Explanation m_why;
    QString m_profileError;
    QString m_profileName;
    QComboBox *m_samples = nullptr;
    QSpinBox *m_status = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QComboBox *m_startFrom = nullptr;
    QPlainTextEdit *m_profile = nullptr;
    QTextBrowser *m_result = nullptr;
    QPushButton *m_save = nullptr;
    QLabel *m_note = nullptr;
    QTimer *m_debounce = nullptr;
};

} // namespace hd
