#include "queryoutput.h"

#include "io/csvwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace fs::cli {

using fs::engine::CsvWriter;

namespace {

// One JSON value in compact form. QJsonDocument writes only arrays and objects, so the value goes
// in a one-element array whose brackets are dropped: escaping and number formatting stay the
// library's.
QString compactJson(const QJsonValue &value)
{
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.constData() + 1, text.size() - 2);
}

// A JSON object whose members keep the given order (QJsonObject would sort them). Keys and values
// are serialized by compactJson; only braces, colons and commas are written here.
class OrderedObject {
public:
    void add(const QString &key, const QString &valueJson)
    {
        m_text += m_text.isEmpty() ? u'{' : u',';
        m_text += compactJson(key) + u':' + valueJson;
    }
    void add(const QString &key, const QJsonValue &value) { add(key, compactJson(value)); }
    QString text() const { return m_text.isEmpty() ? QStringLiteral("{}") : m_text + u'}'; }

private:
    QString m_text;
};

QJsonValue cellJson(const RecordBatch &batch, int row, int column)
{
    switch (batch.cellType(row, column)) {
    case RecordBatch::CellType::Null:
        return QJsonValue(QJsonValue::Null);
    case RecordBatch::CellType::String:
        return batch.text(row, column);
    case RecordBatch::CellType::Number:
        return batch.number(row, column);
    case RecordBatch::CellType::Boolean:
        return batch.value(row, column).toBool();
    case RecordBatch::CellType::Object: {
        const QJsonDocument doc = QJsonDocument::fromJson(batch.text(row, column).toUtf8());
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
        return batch.text(row, column);
    }
    case RecordBatch::CellType::Child: {
        const RecordBatch child = batch.child(row, column);
        QJsonArray records;
        for (int r = 0; r < child.rowCount(); ++r)
            records.append(QueryOutput::recordJson(child, r));
        QJsonObject o;
        o.insert(QLatin1String("totalSize"), double(child.totalSize()));
        o.insert(QLatin1String("done"), child.done());
        o.insert(QLatin1String("records"), records);
        if (!child.nextRecordsUrl().isEmpty())
            o.insert(QLatin1String("nextRecordsUrl"), child.nextRecordsUrl());
        return o;
    }
    }
    return QJsonValue(QJsonValue::Null);
}

// cellJson as compact text, with records (also nested child records) in select-list order.
QString cellJsonText(const RecordBatch &batch, int row, int column)
{
    if (batch.cellType(row, column) != RecordBatch::CellType::Child)
        return compactJson(cellJson(batch, row, column));
    const RecordBatch child = batch.child(row, column);
    QString records(u'[');
    for (int r = 0; r < child.rowCount(); ++r) {
        if (r > 0)
            records += u',';
        records += QueryOutput::recordJsonText(child, r);
    }
    records += u']';
    OrderedObject o;
    o.add(QStringLiteral("totalSize"), QJsonValue(double(child.totalSize())));
    o.add(QStringLiteral("done"), QJsonValue(child.done()));
    o.add(QStringLiteral("records"), records);
    if (!child.nextRecordsUrl().isEmpty())
        o.add(QStringLiteral("nextRecordsUrl"), QJsonValue(child.nextRecordsUrl()));
    return o.text();
}

} // namespace

QueryOutput::QueryOutput(OutputFormat format, Sink sink)
    : m_format(format)
    , m_sink(std::move(sink))
{
}

QJsonObject QueryOutput::recordJson(const RecordBatch &batch, int row)
{
    QJsonObject o;
    const QStringList &cols = batch.columns();
    for (int c = 0; c < cols.size(); ++c)
        o.insert(cols.at(c), cellJson(batch, row, c));
    return o;
}

QString QueryOutput::recordJsonText(const RecordBatch &batch, int row)
{
    OrderedObject o;
    const QStringList &cols = batch.columns();
    for (int c = 0; c < cols.size(); ++c)
        o.add(cols.at(c), cellJsonText(batch, row, c));
    return o.text();
}

QString QueryOutput::cellText(const RecordBatch &batch, int row, int column, OutputFormat format)
{
    const RecordBatch::CellType type = batch.cellType(row, column);
    if (type == RecordBatch::CellType::Child && format == OutputFormat::Csv) {
        const QJsonValue v = cellJson(batch, row, column);
        return QString::fromUtf8(QJsonDocument(v.toObject().value(QLatin1String("records")).toArray()).toJson(QJsonDocument::Compact));
    }
    if (type == RecordBatch::CellType::Boolean)
        return batch.value(row, column).toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (type == RecordBatch::CellType::Number) {
        // Integers without a fraction; others in the shortest exact form.
        const double v = batch.number(row, column);
        if (v == double(qint64(v)) && qAbs(v) < 1e15)
            return QString::number(qint64(v));
        return QString::number(v, 'g', QLocale::FloatingPointShortest);
    }
    return batch.text(row, column);
}

void QueryOutput::writePage(const RecordBatch &batch)
{
    QString out;
    if (!m_started) {
        m_started = true;
        m_columns = batch.columns();
        switch (m_format) {
        case OutputFormat::Json:
            out += QLatin1String("{\"records\":[");
            break;
        case OutputFormat::Csv:
            if (!m_columns.isEmpty())
                out += CsvWriter::row(m_columns);
            break;
        case OutputFormat::Table: {
            m_table.emplace(m_columns);
            QList<QStringList> rows;
            for (int r = 0; r < batch.rowCount(); ++r) {
                QStringList cells;
                for (int c = 0; c < m_columns.size(); ++c)
                    cells.append(cellText(batch, r, c, m_format));
                rows.append(cells);
            }
            m_table->setWidthsFrom(rows);
            if (!m_columns.isEmpty())
                out += m_table->header();
            break;
        }
        }
    }

    // Pages of one query share their columns; look each one up by name in case a page differs.
    QList<int> map;
    for (const QString &name : std::as_const(m_columns))
        map.append(batch.columnIndex(name));

    for (int r = 0; r < batch.rowCount(); ++r) {
        if (m_format == OutputFormat::Json) {
            if (m_rows > 0)
                out += u',';
            out += u'\n';
            out += recordJsonText(batch, r);
        } else {
            QStringList cells;
            for (int c : std::as_const(map))
                cells.append(c < 0 ? QString() : cellText(batch, r, c, m_format));
            out += m_format == OutputFormat::Csv ? CsvWriter::row(cells) : m_table->row(cells);
        }
        ++m_rows;
    }
    if (!out.isEmpty())
        m_sink(out);
}

void QueryOutput::finish(qint64 totalSize, qint64 fetched, bool done, bool truncated)
{
    QString out;
    switch (m_format) {
    case OutputFormat::Json: {
        if (!m_started)
            out += QLatin1String("{\"records\":[");
        OrderedObject tail;
        tail.add(QStringLiteral("totalSize"), QJsonValue(double(totalSize)));
        tail.add(QStringLiteral("fetched"), QJsonValue(double(fetched)));
        tail.add(QStringLiteral("done"), QJsonValue(done));
        tail.add(QStringLiteral("truncated"), QJsonValue(truncated));
        // Splice the tail's members after the records array: {"records":[…],"totalSize":…}
        QString t = tail.text();
        t.remove(0, 1); // drop '{'
        out += (m_rows > 0 ? QLatin1String("\n],") : QLatin1String("],")) + t + u'\n';
        break;
    }
    case OutputFormat::Csv:
        break;
    case OutputFormat::Table:
        out += QStringLiteral("(%1 record%2%3)\n")
                   .arg(m_rows)
                   .arg(m_rows == 1 ? QString() : QStringLiteral("s"))
                   .arg(truncated ? QStringLiteral(", truncated; %1 matched").arg(totalSize) : QString());
        break;
    }
    if (!out.isEmpty())
        m_sink(out);
}

} // namespace fs::cli
