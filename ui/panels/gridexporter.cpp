#include "gridexporter.h"

#include "grid/recordtablemodel.h"

#include "api/recordbatch.h"
#include "io/csvwriter.h"

#include <QDir>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace fs::ui {

namespace {

QString cannotWrite(const QString &path, const QString &why)
{
    return GridExporter::tr("Could not export to %1: %2. Any existing file there was left as it was.")
        .arg(QDir::toNativeSeparators(path), why);
}

} // namespace

GridExporter::GridExporter(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(0);
    connect(m_timer, &QTimer::timeout, this, &GridExporter::copySlice);
}

GridExporter::~GridExporter() = default;

void GridExporter::copyRows(const RecordTableModel &model, Format format, int first, int count, Snapshot *out)
{
    const int cols = model.columnCount();
    const int end = std::min(first + count, model.rowCount());
    for (int r = first; r < end; ++r) {
        QVariantList row;
        row.reserve(cols);
        for (int c = 0; c < cols; ++c) {
            if (format == Format::Csv) {
                row.append(model.cellText(r, c));
                continue;
            }
            const QModelIndex i = model.index(r, c);
            const auto type = fs::RecordBatch::CellType(i.data(RecordTableModel::CellTypeRole).toInt());
            const QVariant v = i.data(Qt::EditRole);
            if (type == fs::RecordBatch::CellType::Child)
                row.append(model.cellText(r, c)); // the child summary as shown; children are not inlined
            else if (!v.isValid() || v.isNull())
                row.append(QVariant());
            else
                row.append(v);
        }
        out->rows.append(std::move(row));
    }
}

GridExporter::Snapshot GridExporter::snapshot(const RecordTableModel &model, Format format)
{
    Snapshot s;
    s.columns = model.columns();
    s.rows.reserve(model.rowCount());
    copyRows(model, format, 0, model.rowCount(), &s);
    return s;
}

QString GridExporter::write(const QString &path, const Snapshot &snapshot, Format format)
{
    if (path.isEmpty())
        return tr("Could not export: no file name given.");
    QSaveFile file(path); // temporary file beside the target, renamed over it on commit
    if (!file.open(QIODevice::WriteOnly))
        return cannotWrite(path, file.errorString());
    if (format == Format::Csv) {
        file.write(fs::engine::CsvWriter::row(snapshot.columns).toUtf8());
        QStringList cells;
        for (const QVariantList &row : snapshot.rows) {
            cells.clear();
            for (const QVariant &v : row)
                cells.append(v.toString());
            if (file.write(fs::engine::CsvWriter::row(cells).toUtf8()) < 0)
                break; // QSaveFile remembers the error; commit() fails below
        }
    } else {
        QJsonArray rows;
        for (const QVariantList &row : snapshot.rows) {
            QJsonObject o;
            for (qsizetype c = 0; c < snapshot.columns.size() && c < row.size(); ++c) {
                const QVariant &v = row.at(c);
                o.insert(snapshot.columns.at(c), v.isValid() ? QJsonValue::fromVariant(v) : QJsonValue(QJsonValue::Null));
            }
            rows.append(o);
        }
        file.write(QJsonDocument(rows).toJson(QJsonDocument::Indented));
    }
    if (!file.commit())
        return cannotWrite(path, file.errorString());
    return {};
}

bool GridExporter::start(const RecordTableModel *model, const QString &path, Format format)
{
    if (m_running || !model)
        return false;
    m_running = true;
    m_model = model;
    m_path = path;
    m_format = format;
    m_snapshot = {};
    m_snapshot.columns = model->columns();
    m_total = model->rowCount();
    m_next = 0;
    m_snapshot.rows.reserve(m_total);
    // Rows that stream in at the end while we copy are simply not part of this export; anything
    // that rearranges the rows (sort, filter, a new query) would mix two orders, so it stops it.
    const QString changed = tr("The rows changed during the export (sort, filter or a new query); nothing was written.");
    m_watch = {
        connect(model, &QAbstractItemModel::modelReset, this, [this, changed] { abort(changed); }),
        connect(model, &QAbstractItemModel::layoutChanged, this, [this, changed] { abort(changed); }),
        connect(model, &QAbstractItemModel::rowsRemoved, this, [this, changed] { abort(changed); }),
    };
    m_timer->start();
    return true;
}

void GridExporter::copySlice()
{
    if (!m_running)
        return;
    if (!m_model) {
        abort(tr("The results were closed during the export; nothing was written."));
        return;
    }
    const int count = std::min(kRowsPerSlice, m_total - m_next);
    copyRows(*m_model, m_format, m_next, count, &m_snapshot);
    m_next += count;
    if (m_next < m_total) {
        m_timer->start();
        return;
    }
    for (const QMetaObject::Connection &c : std::as_const(m_watch))
        disconnect(c);
    m_watch.clear();
    // Formatting and disk I/O on a worker: the snapshot is moved there, nothing is shared.
    auto *watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher] {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(
        [path = m_path, snapshot = std::move(m_snapshot), format = m_format] { return write(path, snapshot, format); }));
    m_snapshot = {};
}

void GridExporter::abort(const QString &error)
{
    if (!m_running)
        return;
    m_timer->stop();
    for (const QMetaObject::Connection &c : std::as_const(m_watch))
        disconnect(c);
    m_watch.clear();
    m_snapshot = {};
    done(error);
}

void GridExporter::done(const QString &error)
{
    m_running = false;
    const QString path = m_path;
    Q_EMIT finished(path, error);
}

} // namespace fs::ui
