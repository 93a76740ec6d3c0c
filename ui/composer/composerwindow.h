#pragma once

// Tools → Compose Request…: the request composer in a window of its own, non-modal, made once
// and shown again (issue 22: out of MainWindow).

#include <QDialog>

namespace hd {

class MonitorSession;
class RequestComposer;

class ComposerWindow : public QDialog
{
    Q_OBJECT
public:
    // endpoint: prefilled when not empty (the tree's selection).
    ComposerWindow(MonitorSession *session, const QString &endpoint, QWidget *parent);

    RequestComposer *composer() const { return m_composer; }
    // Shown, raised and given focus.
    void present();

private:
    RequestComposer *m_composer;
};

} // namespace hd
