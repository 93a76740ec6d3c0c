// The anchored error log (issue 23): rows that arrive while someone looks at the log never move
// the rows under the pointer or the selection; the "N new events" bar counts them and brings
// the newest back; Follow off holds the log; Home returns to the live edge; sorted oldest
// first the live edge is the bottom. Real widgets on the offscreen platform, a real
// ErrorLogModel fed events and flushed as the console does once per frame.
#include "clock.h"
#include "errorlogmodel.h"
#include "logpane.h"
#include "logview.h"

#include <QApplication>
#include <QHeaderView>
#include <QPushButton>
#include <QScrollBar>
#include <QTest>
#include <QToolButton>

using namespace hd;

namespace {

constexpr qint64 T0 = 1795298400000;

ApiEvent logEvent(int n)
{
    ApiEvent e;
    e.id = QStringLiteral("ev%1").arg(n, 5, 10, QLatin1Char('0'));
    e.timeMs = T0 + n * 100;
    e.environment = QStringLiteral("prod");
    e.endpoint = QStringLiteral("orders");
    e.category = n % 3 ? Category::Ok : Category::Unavailable;
    e.outcome = outcomeOf(e.category);
    e.httpStatus = n % 3 ? 200 : 503;
    e.durationMs = 10;
    return e;
}

} // namespace

class TestLogView : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void following_showsTheNewestAsTheyArrive();
    void selection_holdsTheRowsStillAndCountsNewOnes();
    void newEventsBar_jumpsBackToLive();
    void hover_holdsUntilThePointerLeaves();
    void followOff_holdsWithoutSelection();
    void home_returnsToTheLiveEdge();
    void oldestFirst_liveEdgeIsTheBottom();
    void lateRowsMergedIntoPlace_keepTheAnchor();
    void viewMovingByItself_doesNotHoldTheLog();

private:
    void add(int from, int count);
    QString topId() const;
    QString idAt(int row) const;

    ManualClock *m_clock = nullptr;
    ErrorLogModel *m_model = nullptr;
    LogPane *m_pane = nullptr;
    LogView *m_view = nullptr;
    int m_next = 0;
};

void TestLogView::init()
{
    m_clock = new ManualClock(T0 + 3600 * 1000);
    m_model = new ErrorLogModel(*m_clock);
    m_pane = new LogPane(m_model);
    m_pane->resize(900, 400);
    m_view = m_pane->view();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane));
    m_next = 0;
    add(0, 100);
}

void TestLogView::cleanup()
{
    delete m_pane;
    delete m_model;
    delete m_clock;
}

void TestLogView::add(int from, int count)
{
    for (int i = from; i < from + count; ++i)
        m_model->append(logEvent(i));
    m_model->flush();
    m_next = std::max(m_next, from + count);
    QCoreApplication::processEvents();
}

QString TestLogView::idAt(int row) const
{
    return m_model->index(row, 0).data(ErrorLogModel::EventIdRole).toString();
}

QString TestLogView::topId() const
{
    return idAt(m_view->rowAt(0));
}

void TestLogView::following_showsTheNewestAsTheyArrive()
{
    QVERIFY(m_view->isFollowing());
    QCOMPARE(topId(), QStringLiteral("ev00099"));
    add(m_next, 5);
    QCOMPARE(topId(), QStringLiteral("ev00104"));
    QCOMPARE(m_view->newCount(), 0);
    QVERIFY(!m_pane->findChild<QPushButton *>(QStringLiteral("logNewEvents"))->isVisible());
}

void TestLogView::selection_holdsTheRowsStillAndCountsNewOnes()
{
    // Click the fourth visible row, as a user would.
    const QModelIndex target = m_model->index(3, 0);
    const QString chosen = target.data(ErrorLogModel::EventIdRole).toString();
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, m_view->visualRect(target).center());
    QCOMPARE(m_view->currentIndex().row(), 3);
    QTest::mouseMove(m_pane, QPoint(1, 1)); // the pointer leaves the rows
    QCoreApplication::processEvents();
    QVERIFY(!m_view->isFollowing());
    const QString top = topId();
    const int y = m_view->visualRect(m_view->currentIndex()).y();

    for (int burst = 0; burst < 4; ++burst)
        add(m_next, 7); // 28 new events, in frames
    // Nothing moved: the same event at the top, the selection at the same height.
    QCOMPARE(topId(), top);
    QCOMPARE(idAt(m_view->currentIndex().row()), chosen);
    QCOMPARE(m_view->visualRect(m_view->currentIndex()).y(), y);
    QCOMPARE(m_view->newCount(), 28);
    auto *bar = m_pane->findChild<QPushButton *>(QStringLiteral("logNewEvents"));
    QVERIFY(bar->isVisible());
    QCOMPARE(bar->text(), QStringLiteral("▲ 28 new events — show the newest"));
    // Keyboard navigation moves from the chosen row, not from wherever it drifted.
    QTest::keyClick(m_view, Qt::Key_Down);
    const int older = chosen.mid(2).toInt() - 1; // newest first: the row below is older
    QCOMPARE(idAt(m_view->currentIndex().row()),
             QStringLiteral("ev%1").arg(older, 5, 10, QLatin1Char('0')));
}

void TestLogView::newEventsBar_jumpsBackToLive()
{
    m_view->setFocus();
    m_view->setCurrentIndex(m_model->index(2, 0));
    add(m_next, 10);
    auto *bar = m_pane->findChild<QPushButton *>(QStringLiteral("logNewEvents"));
    QVERIFY(bar->isVisible());
    bar->click();
    QCOMPARE(m_view->verticalScrollBar()->value(), 0);
    QCOMPARE(topId(), QStringLiteral("ev00109"));
    QCOMPARE(m_view->newCount(), 0);
    QVERIFY(!bar->isVisible());
}

void TestLogView::hover_holdsUntilThePointerLeaves()
{
    QEvent enter(QEvent::Enter);
    QApplication::sendEvent(m_view->viewport(), &enter);
    QVERIFY(!m_view->isFollowing());
    add(m_next, 3);
    QCOMPARE(topId(), QStringLiteral("ev00099")); // held under the pointer
    QCOMPARE(m_view->newCount(), 3);
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(m_view->viewport(), &leave);
    QVERIFY(m_view->isFollowing()); // nobody looking: catch up
    QCOMPARE(topId(), QStringLiteral("ev00102"));
    QCOMPARE(m_view->newCount(), 0);
}

void TestLogView::followOff_holdsWithoutSelection()
{
    auto *follow = m_pane->findChild<QToolButton *>(QStringLiteral("logFollow"));
    QVERIFY(follow && follow->isChecked());
    follow->click();
    QVERIFY(!m_view->followEnabled());
    add(m_next, 4);
    QCOMPARE(topId(), QStringLiteral("ev00099"));
    QCOMPARE(m_view->newCount(), 4);
    follow->click();
    QVERIFY(m_view->isFollowing());
    QCOMPARE(topId(), QStringLiteral("ev00103"));
}

void TestLogView::home_returnsToTheLiveEdge()
{
    m_view->setFocus();
    m_view->setCurrentIndex(m_model->index(40, 0));
    m_view->verticalScrollBar()->setSliderPosition(40); // as a drag of the scroll bar does
    add(m_next, 6);
    QCOMPARE(m_view->newCount(), 6);
    QTest::keyClick(m_view, Qt::Key_Home);
    QCOMPARE(m_view->verticalScrollBar()->value(), 0);
    QCOMPARE(m_view->currentIndex().row(), 0);
    QCOMPARE(m_view->newCount(), 0);
}

void TestLogView::oldestFirst_liveEdgeIsTheBottom()
{
    m_view->sortByColumn(ErrorLogModel::Time, Qt::AscendingOrder);
    QCoreApplication::processEvents();
    m_view->jumpToLive();
    QCOMPARE(m_view->verticalScrollBar()->value(), m_view->verticalScrollBar()->maximum());
    add(m_next, 5);
    // Following at the bottom: the newest row is in sight.
    QCOMPARE(idAt(m_view->rowAt(m_view->viewport()->height() - 2)), QStringLiteral("ev00104"));
    QVERIFY(m_view->isFollowing());
}

void TestLogView::lateRowsMergedIntoPlace_keepTheAnchor()
{
    // An event stamped before the newest held one lands inside the list (the model merges it
    // with a layout change): the row at the top stays the same event.
    m_view->verticalScrollBar()->setSliderPosition(30); // the user scrolls down
    QCoreApplication::processEvents();
    QVERIFY(!m_view->isFollowing());
    const QString top = topId();
    ApiEvent late = logEvent(50);
    late.id = QStringLiteral("late");
    late.timeMs = T0 + 50 * 100 + 50; // between ev00050 and ev00051
    m_model->append(late);
    m_model->append(logEvent(m_next++));
    m_model->flush();
    QCoreApplication::processEvents();
    QCOMPARE(topId(), top);
}

void TestLogView::viewMovingByItself_doesNotHoldTheLog()
{
    // Found on the running demo: the scroll position changed by Qt itself (not a slider
    // action) left the log held, with "N new events" and nobody looking.
    m_view->verticalScrollBar()->setValue(20);
    QVERIFY(m_view->isFollowing());
    add(m_next, 5);
    QCOMPARE(m_view->verticalScrollBar()->value(), 0);
    QCOMPARE(topId(), QStringLiteral("ev00104"));
    QCOMPARE(m_view->newCount(), 0);
}

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
