#include "filtercompleter.h"

#include "eventtypes.h"

#include <QAbstractItemView>
#include <QLineEdit>
#include <QStringListModel>

namespace hd {

FilterCompleter::FilterCompleter(QLineEdit *edit)
    : QCompleter(edit)
    , m_edit(edit)
    , m_model(new QStringListModel(this))
{
    setObjectName(QStringLiteral("logFilterCompleter"));
    setModel(m_model);
    setCaseSensitivity(Qt::CaseInsensitive);
    setCompletionMode(QCompleter::PopupCompletion);
    setFilterMode(Qt::MatchStartsWith);
    setWidget(edit);
    connect(edit, &QLineEdit::textEdited, this, &FilterCompleter::onTextEdited);
    connect(this, qOverload<const QString &>(&QCompleter::activated), this,
            &FilterCompleter::insert);
}

void FilterCompleter::setVocabulary(const QStringList &environments, const QStringList &endpoints)
{
    m_environments = environments;
    m_endpoints = endpoints;
}

QStringList FilterCompleter::keys()
{
    return {QStringLiteral("status:"), QStringLiteral("category:"), QStringLiteral("outcome:"),
            QStringLiteral("env:"),    QStringLiteral("endpoint:"), QStringLiteral("code:"),
            QStringLiteral("trace:"),  QStringLiteral("since:")};
}

QStringList FilterCompleter::completions(const QString &text, int cursor, int *wordStart) const
{
    cursor = std::clamp(cursor, 0, int(text.size()));
    int start = cursor;
    while (start > 0 && !text.at(start - 1).isSpace())
        --start;
    if (start < cursor && text.at(start) == u'-')
        ++start;
    if (wordStart)
        *wordStart = start;
    const QString word = text.mid(start, cursor - start);
    const int colon = word.indexOf(u':');
    QStringList candidates;
    QString prefix = word;
    QString key;
    if (colon < 0) {
        candidates = keys();
    } else {
        key = word.left(colon).toLower();
        // Commas separate alternatives: complete the last one.
        const int comma = word.lastIndexOf(u',');
        const int valueStart = comma > colon ? comma + 1 : colon + 1;
        prefix = word.mid(valueStart);
        QStringList values;
        if (key == u"category") {
            for (int c = 0; c < CategoryCount; ++c)
                values.append(toQString(toString(Category(c))));
        } else if (key == u"outcome") {
            for (Outcome o : {Outcome::Success, Outcome::ClientError, Outcome::BusinessError,
                              Outcome::ServerError, Outcome::ConnectionError})
                values.append(toQString(toString(o)));
        } else if (key == u"env" || key == u"environment") {
            values = m_environments;
        } else if (key == u"endpoint") {
            values = m_endpoints;
        } else if (key == u"status") {
            values = {QStringLiteral("5xx"), QStringLiteral("4xx"), QStringLiteral("429"),
                      QStringLiteral("401"), QStringLiteral("403"), QStringLiteral("503"),
                      QStringLiteral("none")};
        } else if (key == u"since") {
            values = {QStringLiteral("5m"), QStringLiteral("15m"), QStringLiteral("1h"),
                      QStringLiteral("24h"), QStringLiteral("7d")};
        }
        const QString head = word.left(valueStart);
        for (const QString &v : std::as_const(values))
            candidates.append(head + v);
        prefix = word;
    }
    QStringList out;
    for (const QString &c : std::as_const(candidates))
        if (c.startsWith(prefix, Qt::CaseInsensitive) && c.compare(prefix, Qt::CaseInsensitive))
            out.append(c);
    return out;
}

void FilterCompleter::onTextEdited(const QString &text)
{
    int start = 0;
    const int cursor = m_edit->cursorPosition();
    const QStringList list = completions(text, cursor, &start);
    m_wordStart = start;
    m_wordEnd = cursor;
    if (list.isEmpty() || cursor == start) {
        popup()->hide();
        return;
    }
    m_model->setStringList(list);
    setCompletionPrefix(text.mid(start, cursor - start));
    complete();
}

void FilterCompleter::insert(const QString &completion)
{
    QString text = m_edit->text();
    const int end = std::min(int(text.size()), m_wordEnd);
    text.replace(m_wordStart, end - m_wordStart, completion);
    m_edit->setText(text);
    m_edit->setCursorPosition(m_wordStart + int(completion.size()));
}

} // namespace hd
