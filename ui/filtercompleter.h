#pragma once

// Completion for the error log's filter bar: the word under the cursor is completed — a key
// ("cat" → "category:"), or a value after a key: category and outcome names, the workspace's
// environment and endpoint ids, status classes, since: durations. Choosing a completion
// replaces only that word, so "env:prod cat" + Enter gives "env:prod category:".
// completions() is the pure part (tests call it); the widget part drives a QCompleter.

#include <QCompleter>
#include <QStringList>

class QLineEdit;
class QStringListModel;

namespace hd {

class FilterCompleter : public QCompleter
{
    Q_OBJECT
public:
    explicit FilterCompleter(QLineEdit *edit);

    // The ids the workspace knows (values for env: and endpoint:).
    void setVocabulary(const QStringList &environments, const QStringList &endpoints);

    // What can complete the word ending at cursor in text, best first. wordStart receives
    // where that word begins (after a leading '-').
    QStringList completions(const QString &text, int cursor, int *wordStart = nullptr) const;

    static QStringList keys();

private:
    void onTextEdited(const QString &text);
    void insert(const QString &completion);

    QLineEdit *m_edit;
    QStringListModel *m_model;
    QStringList m_environments;
    QStringList m_endpoints;
    int m_wordStart = 0;
    int m_wordEnd = 0;
};

} // namespace hd
