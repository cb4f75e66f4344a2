// RecordTableModel and the other UI models under QAbstractItemModelTester, with synthetic batches.
#include "grid/recorddetailmodel.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "grid/recordtableview.h"
#include "panels/requestlogmodel.h"
#include "schema/fieldlistmodel.h"
#include "schema/objectlistmodel.h"

#include "query/recordbatchbuilder.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using fs::RecordBatch;
using fs::RecordBatchBuilder;
using fs::ui::RecordTableModel;

namespace {

// Account rows: Id, Name, NumberOfEmployees, Owner.Name, SystemModstamp (+ Contacts child on row 0).
RecordBatch accounts(int first, int count, bool withChild = false)
{
    RecordBatchBuilder b;
    for (int i = first; i < first + count; ++i) {
        const QByteArray id = QStringLiteral("001%1AAA").arg(i, 12, 10, QLatin1Char('0')).toUtf8();
        b.beginRecord("Account", std::string_view(id.constData(), size_t(id.size())));
        b.addString("Id", std::string_view(id.constData(), size_t(id.size())));
        const QByteArray name = QStringLiteral("Account %1").arg(i).toUtf8();
        b.addString("Name", std::string_view(name.constData(), size_t(name.size())));
        if (i % 7 == 0)
            b.addNull("NumberOfEmployees");
        else
            b.addNumber("NumberOfEmployees", double((i * 37) % 101));
        b.addString("Owner.Name", "Ada");
        b.addString("SystemModstamp", "2024-01-01T00:00:00.000+0000");
        if (withChild) {
            RecordBatchBuilder c;
            c.setResultInfo(2, true, {});
            c.beginRecord("Contact", "003000000000001AAA");
            c.addString("LastName", "Lovelace");
            c.endRecord();
            c.beginRecord("Contact", "003000000000002AAA");
            c.addString("LastName", "Hopper");
            c.endRecord();
            b.addChild("Contacts", c.build());
        }
        b.endRecord();
    }
    b.setResultInfo(1000, false, {});
    return b.build();
}

// What a stable sort + filter of every loaded row must give, computed without the model's
// arrangement code: cells read from a plain (identity) model over the same pages.
QVector<int> expectedArrangement(const RecordTableModel &plain, int column, Qt::SortOrder order, const QString &filter)
{
    QVector<int> rows;
    for (int r = 0; r < plain.rowCount(); ++r) {
        bool hit = filter.isEmpty();
        for (int c = 0; c < plain.columnCount() && !hit; ++c)
            hit = plain.cellText(r, c).contains(filter, Qt::CaseInsensitive);
        if (hit)
            rows.append(r);
    }
    if (column < 0)
        return rows;
    auto rank = [&plain, column](int r, double *number, QString *text) {
        const QVariant v = plain.index(r, column).data(Qt::EditRole);
        if (!v.isValid())
            return 2; // null: last in either order
        if (v.typeId() == QMetaType::Double) {
            *number = v.toDouble();
            return 0;
        }
        *text = v.toString();
        return 1;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](int a, int b) {
        double na = 0;
        double nb = 0;
        QString ta;
        QString tb;
        const int ka = rank(a, &na, &ta);
        const int kb = rank(b, &nb, &tb);
        if (ka == 2 || kb == 2)
            return ka != 2 && kb == 2;
        int cmp = ka != kb ? (ka < kb ? -1 : 1) : (ka == 0 ? (na < nb ? -1 : (na > nb ? 1 : 0)) : QString::compare(ta, tb, Qt::CaseInsensitive));
        return order == Qt::AscendingOrder ? cmp < 0 : cmp > 0;
    });
    return rows;
}

} // namespace

class TestRecordTableModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void appendsOnePageAtATime();
    void sortAndFilterOffTheGuiThread_data();
    void sortAndFilterOffTheGuiThread();
    void latePagesMergeIntoTheArrangedView_data();
    void latePagesMergeIntoTheArrangedView();
    void pendingEditsBecomeUpdates();
    void editableFieldsKnownBeforeTheFirstPage();
    void childCellsCarryTheNestedBatch();
    void detailModelShowsEveryField();
    void schemaModels();
    void requestLogIsBoundedAndBatched();
    void gridKeepsItsPlaceAcrossSortAndFilter_data();
    void gridKeepsItsPlaceAcrossSortAndFilter();
    void rowsAppendedBelowTheViewDoNotRepaintIt();
};

void TestRecordTableModel::appendsOnePageAtATime()
{
    RecordTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.appendBatch(accounts(0, 200));
    model.appendBatch(accounts(200, 300));
    model.appendBatch(accounts(500, 1));
    QCOMPARE(inserted.size(), 3);
    QCOMPARE(model.rowCount(), 501);
    QCOMPARE(model.columnCount(), 5);
    QCOMPARE(model.headerData(3, Qt::Horizontal).toString(), QStringLiteral("Owner.Name"));
    // Binary search lands in the right page at the boundaries.
    QCOMPARE(model.index(199, 1).data().toString(), QStringLiteral("Account 199"));
    QCOMPARE(model.index(200, 1).data().toString(), QStringLiteral("Account 200"));
    QCOMPARE(model.index(500, 1).data().toString(), QStringLiteral("Account 500"));
    QCOMPARE(model.index(7, 2).data().toString(), QString()); // null
    QCOMPARE(model.index(1, 2).data(Qt::EditRole).toDouble(), 37.0);
    QCOMPARE(model.index(0, 0).data(RecordTableModel::LoadingRole).toBool(), false);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 0);
}

void TestRecordTableModel::sortAndFilterOffTheGuiThread_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<int>("expectedRows");
    QTest::addColumn<QString>("firstName");
    QTest::addRow("numbers ascending, nulls last") << 2 << int(Qt::AscendingOrder) << QString() << 300 << QStringLiteral("Account 101");
    QTest::addRow("names descending") << 1 << int(Qt::DescendingOrder) << QString() << 300 << QStringLiteral("Account 99");
    QTest::addRow("filter only") << -1 << int(Qt::AscendingOrder) << QStringLiteral("account 29") << 11 << QStringLiteral("Account 29");
    QTest::addRow("filter matches nothing") << -1 << int(Qt::AscendingOrder) << QStringLiteral("zzz") << 0 << QString();
}

void TestRecordTableModel::sortAndFilterOffTheGuiThread()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QString, filter);
    QFETCH(int, expectedRows);
    QFETCH(QString, firstName);

    RecordTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendBatch(accounts(0, 150));
    model.appendBatch(accounts(150, 150));
    QSignalSpy done(&model, &RecordTableModel::arrangeFinished);
    if (!filter.isEmpty())
        model.setFilterText(filter);
    if (column >= 0)
        model.sort(column, Qt::SortOrder(order));
    QTRY_VERIFY(!model.isBusy());
    QVERIFY(done.size() >= 1);
    QCOMPARE(model.rowCount(), expectedRows);
    if (expectedRows > 0)
        QCOMPARE(model.index(0, 1).data().toString(), firstName);
    if (column == 2) {
        // Account 0 has a null (0 % 7 == 0): nulls go last; check monotonic numbers before them.
        double last = -1;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QVariant v = model.index(r, 2).data(Qt::EditRole);
            if (!v.isValid())
                break;
            QVERIFY(v.toDouble() >= last);
            last = v.toDouble();
        }
        QVERIFY(!model.index(model.rowCount() - 1, 2).data(Qt::EditRole).isValid());
    }
    // New pages keep streaming into an arranged view.
    model.appendBatch(accounts(300, 10));
    QVERIFY(model.loadedRows() == 310);
}

void TestRecordTableModel::latePagesMergeIntoTheArrangedView_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<int>("order");
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("pagesDuringFullSort");
    QTest::addRow("names descending") << 1 << int(Qt::DescendingOrder) << QString() << false;
    QTest::addRow("numbers ascending, nulls last") << 2 << int(Qt::AscendingOrder) << QString() << false;
    QTest::addRow("numbers descending, nulls last") << 2 << int(Qt::DescendingOrder) << QString() << false;
    QTest::addRow("filter only: late rows at the end") << -1 << int(Qt::AscendingOrder) << QStringLiteral("account 3") << false;
    QTest::addRow("sort and filter") << 1 << int(Qt::AscendingOrder) << QStringLiteral("7") << false;
    QTest::addRow("filter matches no late row") << 1 << int(Qt::AscendingOrder) << QStringLiteral("account 12") << false;
    QTest::addRow("pages arrive while the full sort runs") << 1 << int(Qt::AscendingOrder) << QString() << true;
    QTest::addRow("pages arrive while sort and filter run") << 2 << int(Qt::DescendingOrder) << QStringLiteral("1") << true;
}

void TestRecordTableModel::latePagesMergeIntoTheArrangedView()
{
    QFETCH(int, column);
    QFETCH(int, order);
    QFETCH(QString, filter);
    QFETCH(bool, pagesDuringFullSort);

    RecordTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    RecordTableModel plain; // identity reference over the same pages
    auto append = [&](const RecordBatch &b) {
        model.appendBatch(b);
        plain.appendBatch(b);
    };
    append(accounts(0, 300));
    if (!filter.isEmpty())
        model.setFilterText(filter);
    if (column >= 0)
        model.sort(column, Qt::SortOrder(order));
    if (pagesDuringFullSort) {
        append(accounts(300, 200));
        append(accounts(500, 7));
    }
    QTRY_VERIFY(!model.isBusy());

    // A persistent index (the user's current cell) must follow its record through the merges.
    QVERIFY(model.rowCount() > 5);
    const QPersistentModelIndex current(model.index(5, 1));
    const QString currentId = current.data(RecordTableModel::RecordIdRole).toString();
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    const int first = int(plain.loadedRows());
    append(accounts(first, 250));
    append(accounts(first + 250, 43)); // arrives while the first merge runs: joins the next one
    QTRY_VERIFY(!model.isBusy());
    QCOMPARE(resets.size(), 0); // late rows never reset the view
    QCOMPARE(model.loadedRows(), qint64(first + 293));
    QVERIFY(current.isValid());
    QCOMPARE(current.data(RecordTableModel::RecordIdRole).toString(), currentId);
    if (column < 0)
        QCOMPARE(layouts.size(), 0); // filter only: late rows are appended

    const QVector<int> expected = expectedArrangement(plain, column, Qt::SortOrder(order), filter);
    QCOMPARE(model.rowCount(), int(expected.size()));
    QVector<int> shown;
    shown.reserve(model.rowCount());
    for (int r = 0; r < model.rowCount(); ++r)
        shown.append(model.index(r, 0).data(RecordTableModel::SourceRowRole).toInt());
    QCOMPARE(shown, expected); // every matching row exactly once, in stable sorted order
}

void TestRecordTableModel::pendingEditsBecomeUpdates()
{
    RecordTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendBatch(accounts(0, 5));
    QVERIFY(!(model.flags(model.index(0, 1)) & Qt::ItemIsEditable));
    model.setEditableFields({ QStringLiteral("Name"), QStringLiteral("NumberOfEmployees") });
    QVERIFY(model.flags(model.index(0, 1)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(0, 3)) & Qt::ItemIsEditable)); // parent path
    QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsEditable)); // Id

    QSignalSpy pending(&model, &RecordTableModel::pendingChanged);
    QVERIFY(model.setData(model.index(2, 1), QStringLiteral("Renamed")));
    QCOMPARE(model.pendingCount(), 1);
    QCOMPARE(model.index(2, 1).data().toString(), QStringLiteral("Renamed"));
    QVERIFY(model.index(2, 1).data(RecordTableModel::PendingRole).toBool());
    QVERIFY(model.index(2, 1).data(Qt::BackgroundRole).isValid());
    // Back to the original value: no longer pending.
    QVERIFY(model.setData(model.index(2, 1), QStringLiteral("Account 2")));
    QCOMPARE(model.pendingCount(), 0);
    QVERIFY(model.setData(model.index(2, 1), QStringLiteral("Renamed")));

    const QList<fs::RecordUpdate> updates = model.pendingUpdates();
    QCOMPARE(updates.size(), 1);
    QCOMPARE(updates.first().sobjectType, QStringLiteral("Account"));
    QCOMPARE(updates.first().id, model.index(2, 0).data().toString());
    QCOMPARE(updates.first().changes.value(QStringLiteral("Name")).toString(), QStringLiteral("Renamed"));
    QCOMPARE(updates.first().expectedModstamp, QStringLiteral("2024-01-01T00:00:00.000+0000"));

    const QString id = updates.first().id;
    model.commitPending(id, QStringLiteral("2024-02-02T00:00:00.000+0000"));
    QCOMPARE(model.pendingCount(), 0);
    QCOMPARE(model.index(2, 1).data().toString(), QStringLiteral("Renamed"));
    QCOMPARE(model.index(2, 4).data().toString(), QStringLiteral("2024-02-02T00:00:00.000+0000"));

    // Take theirs: server values override, pending dropped.
    QVERIFY(model.setData(model.index(2, 1), QStringLiteral("Mine")));
    model.discardPending(id);
    model.applyServerValues(id, { { QStringLiteral("Name"), QStringLiteral("Theirs") } }, QStringLiteral("2024-03-03T00:00:00.000+0000"));
    QCOMPARE(model.index(2, 1).data().toString(), QStringLiteral("Theirs"));
    QVERIFY(pending.size() >= 4);
}

void TestRecordTableModel::editableFieldsKnownBeforeTheFirstPage()
{
    // The describe can answer before the first page: editability follows the columns when they come.
    RecordTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEditableFields({ QStringLiteral("name"), QStringLiteral("Owner.Name") });
    model.appendBatch(accounts(0, 3));
    QVERIFY(model.flags(model.index(1, 1)) & Qt::ItemIsEditable);
    QVERIFY(!(model.flags(model.index(1, 3)) & Qt::ItemIsEditable)); // parent path: another record
    model.clear(); // a new result keeps the describe's fields
    model.appendBatch(accounts(0, 2));
    QVERIFY(model.flags(model.index(0, 1)) & Qt::ItemIsEditable);
}

void TestRecordTableModel::childCellsCarryTheNestedBatch()
{
    RecordTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.appendBatch(accounts(0, 3, true));
    const int c = model.columns().indexOf(QStringLiteral("Contacts"));
    QVERIFY(c >= 0);
    const QModelIndex i = model.index(1, c);
    QCOMPARE(i.data(RecordTableModel::CellTypeRole).toInt(), int(RecordBatch::CellType::Child));
    const RecordBatch child = i.data(RecordTableModel::ChildBatchRole).value<RecordBatch>();
    QCOMPARE(child.rowCount(), 2);

    RecordTableModel nested;
    QAbstractItemModelTester nestedTester(&nested, QAbstractItemModelTester::FailureReportingMode::QtTest);
    nested.appendBatch(child);
    QCOMPARE(nested.index(1, nested.columns().indexOf(QStringLiteral("LastName"))).data().toString(), QStringLiteral("Hopper"));
}

void TestRecordTableModel::detailModelShowsEveryField()
{
    RecordTableModel model;
    model.appendBatch(accounts(0, 3));
    fs::ui::RecordDetailModel detail;
    QAbstractItemModelTester tester(&detail, QAbstractItemModelTester::FailureReportingMode::QtTest);
    detail.setRecord(&model, 1);
    QCOMPARE(detail.rowCount(), model.columnCount());
    QCOMPARE(detail.index(1, 0).data().toString(), QStringLiteral("Name"));
    QCOMPARE(detail.index(1, 1).data().toString(), QStringLiteral("Account 1"));
    detail.setRecord(nullptr, -1);
    QCOMPARE(detail.rowCount(), 0);
}

void TestRecordTableModel::schemaModels()
{
    fs::ui::ObjectListModel objects;
    QAbstractItemModelTester t1(&objects, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fs::SObjectSummary a;
    a.name = QStringLiteral("Contact");
    a.label = QStringLiteral("Contact");
    fs::SObjectSummary b;
    b.name = QStringLiteral("Account");
    b.label = QStringLiteral("Account");
    objects.setObjects({ a, b });
    QCOMPARE(objects.index(0, 0).data().toString(), QStringLiteral("Account"));

    fs::SObjectDescribe d;
    d.summary = b;
    fs::FieldDescribe name;
    name.name = QStringLiteral("Name");
    name.label = QStringLiteral("Account Name");
    name.type = QStringLiteral("string");
    name.length = 255;
    fs::FieldDescribe owner;
    owner.name = QStringLiteral("OwnerId");
    owner.type = QStringLiteral("reference");
    owner.referenceTo = { QStringLiteral("User") };
    owner.relationshipName = QStringLiteral("Owner");
    fs::FieldDescribe rating;
    rating.name = QStringLiteral("Rating");
    rating.type = QStringLiteral("picklist");
    rating.picklistValues = { { QStringLiteral("Hot"), QStringLiteral("Hot"), true, false },
        { QStringLiteral("Cold"), QStringLiteral("Cold"), true, false } };
    d.fields = { name, owner, rating };
    d.childRelationships = { { QStringLiteral("Contact"), QStringLiteral("AccountId"), QStringLiteral("Contacts"), true },
        { QStringLiteral("Task"), QStringLiteral("WhatId"), QString(), false } };

    fs::ui::FieldListModel fields;
    QAbstractItemModelTester t2(&fields, QAbstractItemModelTester::FailureReportingMode::QtTest);
    fields.setDescribe(d);
    QCOMPARE(fields.rowCount(), 3);
    QCOMPARE(fields.index(0, fs::ui::FieldListModel::Length).data().toInt(), 255);
    QVERIFY(fields.index(1, fs::ui::FieldListModel::Details).data().toString().contains(QStringLiteral("User")));
    QVERIFY(fields.index(2, fs::ui::FieldListModel::Details).data().toString().contains(QStringLiteral("Hot | Cold")));

    fs::ui::ChildRelationshipModel children;
    QAbstractItemModelTester t3(&children, QAbstractItemModelTester::FailureReportingMode::QtTest);
    children.setDescribe(d);
    QCOMPARE(children.rowCount(), 1); // unnamed relationships are not usable in SOQL
    QCOMPARE(children.index(0, 0).data().toString(), QStringLiteral("Contacts"));
}

void TestRecordTableModel::requestLogIsBoundedAndBatched()
{
    fs::ui::RequestLogModel log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.setCapacity(10);
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 25; ++i) {
        fs::RequestLogEntry e;
        e.when = QDateTime::currentDateTimeUtc();
        e.method = QStringLiteral("GET");
        e.path = QStringLiteral("/services/data/v59.0/query?q=%1").arg(i);
        e.status = 200;
        log.append(e);
    }
    QCOMPARE(log.rowCount(), 0); // queued
    QTRY_COMPARE(log.rowCount(), 10);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(log.dropped(), 15);
    QVERIFY(log.index(9, fs::ui::RequestLogModel::Path).data().toString().endsWith(QStringLiteral("=24")));
}

void TestRecordTableModel::gridKeepsItsPlaceAcrossSortAndFilter_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<bool>("withCurrent");
    QTest::addRow("sort keeps the current record") << QStringLiteral("sort") << true;
    QTest::addRow("filter keeps the current record") << QStringLiteral("filter") << true;
    QTest::addRow("filter cleared keeps the current record") << QStringLiteral("clear") << true;
    QTest::addRow("sort without a current record keeps the scroll position") << QStringLiteral("sort") << false;
    QTest::addRow("filter without a current record keeps the scroll position") << QStringLiteral("filter") << false;
}

void TestRecordTableModel::gridKeepsItsPlaceAcrossSortAndFilter()
{
    QFETCH(QString, action);
    QFETCH(bool, withCurrent);

    fs::ui::RecordGridWidget grid(nullptr, nullptr);
    grid.resize(900, 400);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    grid.beginResult();
    grid.appendBatch(accounts(0, 1000));
    grid.finishResult({});
    QTableView *view = grid.view();
    RecordTableModel *model = grid.model();
    QCOMPARE(model->rowCount(), 1000);
    QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0); // the view's delayed layout has run

    // "Account 437": far from the top in arrival order and after sorting by name descending.
    constexpr int kRow = 437;
    const QString id = model->index(kRow, 0).data().toString();
    if (withCurrent) {
        view->setCurrentIndex(model->index(kRow, 1)); // selects the cell
        view->scrollTo(model->index(kRow, 1), QAbstractItemView::PositionAtTop);
    } else {
        view->selectionModel()->clearCurrentIndex();
        view->scrollTo(model->index(kRow, 1), QAbstractItemView::PositionAtTop);
    }
    const int scroll = view->verticalScrollBar()->value();
    QVERIFY(scroll > 0);

    if (action == u"sort") {
        view->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
    } else if (action == u"filter") {
        model->setFilterText(QStringLiteral("Account 4"));
    } else {
        model->setFilterText(QStringLiteral("Account 43"));
        QTRY_VERIFY(!model->isBusy());
        model->setFilterText(QString());
    }
    QTRY_VERIFY(!model->isBusy());
    QVERIFY(model->rowCount() > 0);

    if (!withCurrent) {
        QVERIFY(!view->currentIndex().isValid());
        QCOMPARE(view->verticalScrollBar()->value(), std::min(scroll, view->verticalScrollBar()->maximum()));
        return;
    }
    const QModelIndex current = view->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(model->index(current.row(), 0).data().toString(), id);
    QCOMPARE(current.column(), 1);
    QVERIFY(view->selectionModel()->isSelected(current));
    const QRect cell = view->visualRect(current);
    QVERIFY2(view->viewport()->rect().contains(cell),
        qPrintable(QStringLiteral("row %1 at y %2 is outside the viewport").arg(current.row()).arg(cell.y())));
}

void TestRecordTableModel::rowsAppendedBelowTheViewDoNotRepaintIt()
{
    fs::ui::RecordGridWidget grid(nullptr, nullptr);
    grid.resize(900, 400);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    auto *view = qobject_cast<fs::ui::RecordTableView *>(grid.view());
    QVERIFY(view);
    grid.beginResult();
    grid.appendBatch(accounts(0, 300));
    QTRY_COMPARE(grid.model()->rowCount(), 300);
    QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
    const int full = view->fullLayouts();
    const int appended = view->appendLayouts();
    const int range = view->verticalScrollBar()->maximum();

    // Rows below the visible ones: the geometry follows, the rows on screen are not repainted.
    grid.appendBatch(accounts(300, 300));
    QTRY_COMPARE(view->appendLayouts(), appended + 1);
    QCOMPARE(view->fullLayouts(), full);
    QVERIFY(view->verticalScrollBar()->maximum() > range);

    // A sort is not an append: the whole view is laid out again.
    view->horizontalHeader()->setSortIndicator(1, Qt::AscendingOrder);
    QTRY_VERIFY(!grid.model()->isBusy());
    QTRY_VERIFY(view->fullLayouts() > full);
}

QTEST_MAIN(TestRecordTableModel)
#include "tst_recordtablemodel.moc"
