#include "seriesdecimator.h"

#include <QTest>

using namespace hd;

class TestSeriesDecimator : public QObject
{
    Q_OBJECT
private slots:
    void smallSeries_isReturnedUnchanged();
    void largeSeries_keepsMinAndMaxOfEveryPixelColumn();
};

void TestSeriesDecimator::smallSeries_isReturnedUnchanged()
{
    const QVector<QPointF> points{{0, 1}, {1, 2}, {2, 3}};
    QCOMPARE(SeriesDecimator::decimate(points, 0, 3, 100), points);
}

void TestSeriesDecimator::largeSeries_keepsMinAndMaxOfEveryPixelColumn()
{
    QVector<QPointF> points;
    for (int i = 0; i < 10000; ++i)
        points.append(QPointF(i, i % 7));
    points[5000].setY(1000); // a spike must survive
    points[7000].setY(-50);  // and a dip
    const QVector<QPointF> out = SeriesDecimator::decimate(points, 0, 10000, 100);
    QVERIFY(out.size() <= 200);
    QVERIFY(out.size() >= 100);
    QVERIFY(std::any_of(out.cbegin(), out.cend(), [](QPointF p) { return p.y() == 1000; }));
    QVERIFY(std::any_of(out.cbegin(), out.cend(), [](QPointF p) { return p.y() == -50; }));
    QVERIFY(std::is_sorted(out.cbegin(), out.cend(),
                           [](QPointF a, QPointF b) { return a.x() < b.x(); }));
}

QTEST_GUILESS_MAIN(TestSeriesDecimator)
#include "tst_seriesdecimator.moc"
