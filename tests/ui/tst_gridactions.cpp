// Grid actions on a client-less RecordGridWidget fed with synthetic batches: copy as TSV, export
// CSV/JSON (temporary file + rename, off the GUI thread, failures leave the target alone) and the
// pending-edits preview.
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "panels/gridexporter.h"
#include "panels/pendingeditsdialog.h"

#include "io/csvwriter.h"
#include "query/recordbatchbuilder.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using fs::RecordBatch;
using fs::RecordBatchBuilder;
using fs::ui::GridExporter;
using fs::ui::RecordGridWidget;
using fs::ui::RecordTableModel;

namespace {

QByteArray id(int i)
{
    return QStringLiteral("001%1AAA").arg(i, 12, 10, QLatin1Char('0')).toUtf8();
}

std::string_view sv(const QByteArray &b)
{
    return { b.constData(), size_t(b.size()) };
}

// Id, Name, Description, NumberOfEmployees, SystemModstamp. Row 1's Description holds a tab and a
// line break, row 2's a comma and quotes, row 3's leading/trailing spaces; every 5th count is null.
RecordBatch accounts(int first, int count)
{
    RecordBatchBuilder b;
    for (int i = first; i < first + count; ++i) {
        const QByteArray rid = id(i);
        b.beginRecord("Account", sv(rid));
        b.addString("Id", sv(rid));
        const QByteArray name = QStringLiteral("Account %1").arg(i).toUtf8();
        b.addString("Name", sv(name));
        QByteArray desc = "plain";
        if (i == 1)
            desc = "line one\tcol\nline two";
        else if (i == 2)
            desc = "says \"hi\", twice";
        else if (i == 3)
            desc = "  padded  ";
        b.addString("Description", sv(desc));
        if (i % 5 == 0)
            b.addNull("NumberOfEmployees");
        else
            b.addNumber("NumberOfEmployees", double(i * 10));
        b.addString("SystemModstamp", "2024-01-01T00:00:00.000+0000");
        b.endRecord();
    }
    b.setResultInfo(first + count, true, {});
    return b.build();
}

// Minimal RFC 4180 reader for the round trip (quoted fields with "" escapes, CRLF records).
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field.append(u'"');
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field.append(c);
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row.append(field);
            field.clear();
            rows.append(row);
            row.clear();
            ++i;
        } else {
            field.append(c);
        }
    }
    return rows;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestGridActions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void copiesBlockAsTsv_data();
    void copiesBlockAsTsv();
    void exportsCsvThatParsesBack();
    void exportsJsonThatParsesBack();
    void exportsOffTheGuiThread();
    void failedExportKeepsTarget_data();
    void failedExportKeepsTarget();
    void exportStopsWhenRowsRearrange();
    void previewListsOldAndNewValues();

private:
    std::unique_ptr<RecordGridWidget> m_grid;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestGridActions::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_grid = std::make_unique<RecordGridWidget>(nullptr, nullptr);
    m_grid->resize(900, 500);
    m_grid->beginResult();
    m_grid->appendBatch(accounts(1, 12));
    m_grid->finishResult({});
    QCOMPARE(m_grid->model()->rowCount(), 12);
}

void TestGridActions::cleanup()
{
    m_grid.reset();
    m_dir.reset();
}

void TestGridActions::copiesBlockAsTsv_data()
{
    QTest::addColumn<int>("top");
    QTest::addColumn<int>("left");
    QTest::addColumn<int>("bottom");
    QTest::addColumn<int>("right");
    QTest::addColumn<QString>("expected");
    // Columns: 0 Id, 1 Name, 2 Description, 3 NumberOfEmployees, 4 SystemModstamp.
    QTest::newRow("tab and newline quoted") << 0 << 1 << 1 << 3
        << QStringLiteral("Name\tDescription\tNumberOfEmployees\n"
                          "Account 1\t\"line one\tcol\nline two\"\t10\n"
                          "Account 2\t\"says \"\"hi\"\", twice\"\t20\n");
    QTest::newRow("null and spaces as shown") << 2 << 2 << 4 << 3
        << QStringLiteral("Description\tNumberOfEmployees\n"
                          "  padded  \t30\n"
                          "plain\t40\n"
                          "plain\t\n");
    QTest::newRow("single cell, no header") << 0 << 2 << 0 << 2
        << QStringLiteral("\"line one\tcol\nline two\"\n");
}

void TestGridActions::copiesBlockAsTsv()
{
    QFETCH(int, top);
    QFETCH(int, left);
    QFETCH(int, bottom);
    QFETCH(int, right);
    QFETCH(QString, expected);
    auto *model = m_grid->model();
    QTableView *view = m_grid->view();
    view->selectionModel()->select(QItemSelection(model->index(top, left), model->index(bottom, right)),
        QItemSelectionModel::ClearAndSelect);
    view->selectionModel()->setCurrentIndex(model->index(top, left), QItemSelectionModel::NoUpdate);
    QApplication::clipboard()->clear();
    m_grid->copySelection();
    QCOMPARE(QApplication::clipboard()->text(), expected);
}

void TestGridActions::exportsCsvThatParsesBack()
{
    const QString path = m_dir->filePath(QStringLiteral("accounts.csv"));
    QCOMPARE(m_grid->exportCsv(path), QString());
    const QString text = QString::fromUtf8(readAll(path));
    // The shared writer decides the quoting: the header line is exactly CsvWriter's.
    QVERIFY(text.startsWith(fs::engine::CsvWriter::row(m_grid->model()->columns())));
    const QList<QStringList> rows = parseCsv(text);
    QCOMPARE(rows.size(), 13);
    QCOMPARE(rows.at(0), m_grid->model()->columns());
    for (int r = 0; r < 12; ++r) {
        QStringList expected;
        for (int c = 0; c < m_grid->model()->columnCount(); ++c)
            expected.append(m_grid->model()->cellText(r, c));
        QCOMPARE(rows.at(r + 1), expected);
    }
    QCOMPARE(rows.at(3).at(2), QStringLiteral("  padded  ")); // spaces kept (quoted by CsvWriter)
    QVERIFY(text.contains(QStringLiteral("\"  padded  \"")));
    // No temporary file left beside the target.
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList { QStringLiteral("accounts.csv") });
}

void TestGridActions::exportsJsonThatParsesBack()
{
    const QString path = m_dir->filePath(QStringLiteral("accounts.json"));
    QCOMPARE(m_grid->exportJson(path), QString());
    QJsonParseError err {};
    const QJsonDocument doc = QJsonDocument::fromJson(readAll(path), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
    const QJsonArray rows = doc.array();
    QCOMPARE(rows.size(), 12);
    const QJsonObject first = rows.at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("Id")).toString(), QString::fromLatin1(id(1)));
    QCOMPARE(first.value(QStringLiteral("Description")).toString(), QStringLiteral("line one\tcol\nline two"));
    QCOMPARE(first.value(QStringLiteral("NumberOfEmployees")).toDouble(), 10.0);
    QVERIFY(rows.at(4).toObject().value(QStringLiteral("NumberOfEmployees")).isNull()); // row 5: null stays null
    QCOMPARE(rows.at(1).toObject().value(QStringLiteral("Description")).toString(), QStringLiteral("says \"hi\", twice"));
    QCOMPARE(QDir(m_dir->path()).entryList(QDir::Files), QStringList { QStringLiteral("accounts.json") });
}

void TestGridActions::exportsOffTheGuiThread()
{
    // Enough rows for several copy slices; the file is written by a worker thread.
    m_grid->beginResult();
    const int total = GridExporter::kRowsPerSlice * 2 + 123;
    m_grid->appendBatch(accounts(1, total));
    m_grid->finishResult({});
    QCOMPARE(m_grid->model()->rowCount(), total);

    for (const auto format : { GridExporter::Format::Csv, GridExporter::Format::Json }) {
        const QString path = m_dir->filePath(format == GridExporter::Format::Csv ? QStringLiteral("big.csv") : QStringLiteral("big.json"));
        GridExporter exporter;
        QSignalSpy finished(&exporter, &GridExporter::finished);
        QVERIFY(exporter.start(m_grid->model(), path, format));
        QVERIFY(exporter.isRunning());
        QVERIFY(!exporter.start(m_grid->model(), path, format)); // one at a time
        QVERIFY(!QFile::exists(path)); // nothing written synchronously inside start()
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QCOMPARE(finished.at(0).at(0).toString(), path);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        const QByteArray bytes = readAll(path);
        if (format == GridExporter::Format::Csv) {
            const QList<QStringList> rows = parseCsv(QString::fromUtf8(bytes));
            QCOMPARE(rows.size(), total + 1);
            QCOMPARE(rows.last().at(1), QStringLiteral("Account %1").arg(total));
        } else {
            const QJsonArray rows = QJsonDocument::fromJson(bytes).array();
            QCOMPARE(rows.size(), total);
            QCOMPARE(rows.last().toObject().value(QStringLiteral("Name")).toString(), QStringLiteral("Account %1").arg(total));
        }
    }
}

void TestGridActions::failedExportKeepsTarget_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("directory vanished before the write") << QStringLiteral("vanished");
    QTest::newRow("parent is a file") << QStringLiteral("notadir");
    QTest::newRow("read-only directory") << QStringLiteral("readonly");
    QTest::newRow("disk full part-way (file size limit)") << QStringLiteral("full");
}

void TestGridActions::failedExportKeepsTarget()
{
    QFETCH(QString, kind);
    const QByteArray oldContent = "previous export, must survive\n";
    QString path;
    QString error;
    if (kind == u"vanished") {
        // The asynchronous export copies rows first and writes later: remove the directory in
        // between, as a user deleting a folder while a large export runs.
        const QString sub = m_dir->filePath(QStringLiteral("gone"));
        QVERIFY(QDir().mkpath(sub));
        path = sub + QStringLiteral("/out.csv");
        GridExporter exporter;
        QSignalSpy finished(&exporter, &GridExporter::finished);
        QVERIFY(exporter.start(m_grid->model(), path, GridExporter::Format::Csv));
        QVERIFY(QDir(sub).removeRecursively());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        error = finished.at(0).at(1).toString();
        QVERIFY(!QFile::exists(path));
    } else if (kind == u"notadir") {
        const QString file = m_dir->filePath(QStringLiteral("plainfile"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(oldContent);
        f.close();
        path = file + QStringLiteral("/out.csv");
        error = m_grid->exportCsv(path);
        QCOMPARE(readAll(file), oldContent);
    } else if (kind == u"readonly") {
        const QString sub = m_dir->filePath(QStringLiteral("ro"));
        QVERIFY(QDir().mkpath(sub));
        path = sub + QStringLiteral("/out.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(oldContent);
        f.close();
        QVERIFY(QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        QFile probe(sub + QStringLiteral("/probe"));
        if (probe.open(QIODevice::WriteOnly)) {
            probe.close();
            probe.remove();
            QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
            QSKIP("directory permissions do not bind this user (running as root); see the other rows");
        }
        error = m_grid->exportCsv(path);
        QFile::setPermissions(sub, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        QCOMPARE(readAll(path), oldContent);
    } else {
        // A write that fails part-way (no space left): the temporary file hits RLIMIT_FSIZE after
        // a few KiB; the existing file, smaller than that, is left alone.
        path = m_dir->filePath(QStringLiteral("full.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(oldContent);
        f.close();
        m_grid->beginResult();
        m_grid->appendBatch(accounts(1, 2000));
        m_grid->finishResult({});
        const GridExporter::Snapshot snap = GridExporter::snapshot(*m_grid->model(), GridExporter::Format::Csv);
        struct rlimit old {};
        QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
        const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct rlimit small = old;
        small.rlim_cur = 4096;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        error = GridExporter::write(path, snap, GridExporter::Format::Csv);
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, previousHandler);
        QCOMPARE(readAll(path), oldContent);
        QCOMPARE(QDir(m_dir->path()).entryList({ QStringLiteral("full.csv*") }, QDir::Files), QStringList { QStringLiteral("full.csv") });
    }
    QVERIFY2(!error.isEmpty(), qPrintable(kind));
    QVERIFY2(error.startsWith(QStringLiteral("Could not export to ")), qPrintable(error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
}

void TestGridActions::exportStopsWhenRowsRearrange()
{
    m_grid->beginResult();
    m_grid->appendBatch(accounts(1, GridExporter::kRowsPerSlice * 3));
    m_grid->finishResult({});
    const QString path = m_dir->filePath(QStringLiteral("mixed.csv"));
    GridExporter exporter;
    QSignalSpy finished(&exporter, &GridExporter::finished);
    QVERIFY(exporter.start(m_grid->model(), path, GridExporter::Format::Csv));
    m_grid->beginResult(); // a new query replaces the rows mid-export
    QTRY_COMPARE(finished.size(), 1);
    QVERIFY(finished.at(0).at(1).toString().contains(QStringLiteral("rows changed")));
    QVERIFY(!QFile::exists(path));
}

void TestGridActions::previewListsOldAndNewValues()
{
    auto *model = m_grid->model();
    model->setEditableFields({ QStringLiteral("Name"), QStringLiteral("Description"), QStringLiteral("NumberOfEmployees") });
    QVERIFY(model->setData(model->index(0, 1), QStringLiteral("Renamed One")));
    QVERIFY(model->setData(model->index(2, 2), QStringLiteral("new words")));
    QVERIFY(model->setData(model->index(2, 1), QStringLiteral("Renamed Three")));
    QVERIFY(model->setData(model->index(4, 3), QStringLiteral("77")));
    QCOMPARE(model->pendingCount(), 4);

    fs::ui::PendingEditsDialog dialog(m_grid.get());
    const QString a = QString::fromLatin1(id(1));
    const QString c = QString::fromLatin1(id(3));
    const QString e = QString::fromLatin1(id(5));
    QCOMPARE(dialog.previewText(),
        QStringList({
                        a + QStringLiteral("  Name: Account 1 → Renamed One"),
                        c + QStringLiteral("  Description:   padded   → new words"),
                        c + QStringLiteral("  Name: Account 3 → Renamed Three"),
                        e + QStringLiteral("  NumberOfEmployees: (empty) → 77"),
                    })
            .join(QLatin1Char('\n')));
    QCOMPARE(dialog.table()->rowCount(), 4);
    QCOMPARE(dialog.table()->item(0, 0)->text(), a);
    QCOMPARE(dialog.table()->item(0, 1)->text(), QStringLiteral("Name"));
    QCOMPARE(dialog.table()->item(0, 2)->text(), QStringLiteral("Account 1"));
    QCOMPARE(dialog.table()->item(0, 3)->text(), QStringLiteral("Renamed One"));
    QCOMPARE(dialog.findChild<QLabel *>(QStringLiteral("pendingSummary"))->text(),
        QStringLiteral("4 change(s) in 3 record(s), not saved yet:"));

    // Follows the model: a discard of one record drops its lines.
    model->discardPending(c);
    QCOMPARE(dialog.table()->rowCount(), 2);
    QVERIFY(!dialog.previewText().contains(c));
    // The Discard button clears everything.
    dialog.findChild<QPushButton *>(QStringLiteral("pendingDiscard"))->click();
    QCOMPARE(model->pendingCount(), 0);
    QCOMPARE(dialog.table()->rowCount(), 0);
    QCOMPARE(dialog.previewText(), QString());
}

QTEST_MAIN(TestGridActions)
#include "tst_gridactions.moc"
