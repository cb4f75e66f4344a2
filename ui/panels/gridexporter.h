#pragma once

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QVariantList>

class QTimer;

namespace fs::ui {

class RecordTableModel;

// Exports the loaded rows of a record grid (as arranged: sorted/filtered) to CSV or JSON.
// The file is written through QSaveFile: a temporary file next to the target, renamed over it
// only when everything was written, so a failed export leaves an existing file untouched.
//
// Threads: the model may only be read on the GUI thread, so start() copies the rows there in
// slices of kRowsPerSlice per event-loop turn (the GUI keeps painting); formatting and disk I/O
// then run on a worker thread (QtConcurrent) and finished() arrives back on the GUI thread.
class GridExporter : public QObject {
    Q_OBJECT
public:
    enum class Format { Csv, Json };
    static constexpr int kRowsPerSlice = 4000;

    // Rows copied out of the model: cell text (CSV) or JSON-ready values (JSON).
    struct Snapshot {
        QStringList columns;
        QList<QVariantList> rows;
    };

    explicit GridExporter(QObject *parent = nullptr);
    ~GridExporter() override;

    // Copies rows [first, first + count) of the model into `out` (GUI thread).
    static void copyRows(const RecordTableModel &model, Format format, int first, int count, Snapshot *out);
    static Snapshot snapshot(const RecordTableModel &model, Format format);
    // Writes the snapshot to `path` (any thread). Returns empty on success, else a plain-words error
    // naming the path.
    static QString write(const QString &path, const Snapshot &snapshot, Format format);

    // Asynchronous export (see the class comment) → finished(path, error). One at a time.
    bool start(const RecordTableModel *model, const QString &path, Format format);
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(const QString &path, const QString &error);

private:
    void copySlice();
    void abort(const QString &error);
    void done(const QString &error);

    QPointer<const RecordTableModel> m_model;
    QTimer *m_timer = nullptr;
    QList<QMetaObject::Connection> m_watch;
    Snapshot m_snapshot;
    QString m_path;
    Format m_format = Format::Csv;
    int m_next = 0;
    int m_total = 0;
    bool m_running = false;
};

} // namespace fs::ui
