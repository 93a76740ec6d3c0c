#include "composerwindow.h"

#include "requestcomposer.h"

#include <QVBoxLayout>

namespace hd {

ComposerWindow::ComposerWindow(MonitorSession *session, const QString &endpoint, QWidget *parent)
    : QDialog(parent)
    , m_composer(new RequestComposer(session, this))
{
    setObjectName(QStringLiteral("composerWindow"));
    setWindowTitle(tr("Request composer — HealthDeck"));
    resize(1150, 800);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_composer);
    if (!endpoint.isEmpty())
        m_composer->prefill(endpoint);
}

void ComposerWindow::present()
{
    show();
    raise();
    activateWindow();
}

} // namespace hd
