// Data-driven SOQL evaluator suite: tests/data/soql/cases*.yaml run against a Store loaded with
// tests/data/soql/fixture.yaml. Expected results are written by hand from the fixture.
#include "query/querycursor.h"
#include "store/store.h"

#include <simdjson.h>
#include <yaml-cpp/yaml.h>

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QTest>

using namespace fs::sim;

namespace {

QString dataDir()
{
    return QStringLiteral(FS_SOURCE_DIR "/tests/data/soql");
}

QString str(const YAML::Node &n)
{
    return QString::fromStdString(n.as<std::string>());
}

struct Case {
    QString name;
    QString query;
    bool all = false;
    bool hasTotal = false;
    qint64 total = 0;
    bool hasIds = false;
    QStringList ids;
    bool unordered = false;
    bool hasRows = false;
    QStringList rows;
    QString json;
    QString error;
    int row = 0;
    int column = 0;
    QString contains;
};

} // namespace

Q_DECLARE_METATYPE(Case)

class TestSoqlEval : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Store> m_store;
    QHash<QString, QString> m_idByAlias;
    QHash<QString, QString> m_aliasById;
    QDateTime m_now;
    QList<Case> m_cases;

    QString aliasFor(const QString &id) const { return m_aliasById.value(id, id); }

    QString fromUrl(std::string_view url) const
    {
        const QString u = QString::fromUtf8(url.data(), qsizetype(url.size()));
        return aliasFor(u.section(u'/', -1));
    }

    // Renders a JSON value compactly and in document order, with ids replaced by fixture aliases.
    QString render(simdjson::dom::element e) const
    {
        switch (e.type()) {
        case simdjson::dom::element_type::NULL_VALUE:
            return QStringLiteral("null");
        case simdjson::dom::element_type::BOOL:
            return bool(e) ? QStringLiteral("true") : QStringLiteral("false");
        case simdjson::dom::element_type::INT64:
            return QString::number(int64_t(e));
        case simdjson::dom::element_type::UINT64:
            return QString::number(uint64_t(e));
        case simdjson::dom::element_type::DOUBLE:
            return QString::number(double(e), 'g', 12);
        case simdjson::dom::element_type::STRING: {
            const std::string_view s = e;
            const QString v = QString::fromUtf8(s.data(), qsizetype(s.size()));
            return m_aliasById.contains(v) ? m_aliasById.value(v) : v;
        }
        case simdjson::dom::element_type::ARRAY: {
            QStringList items;
            for (simdjson::dom::element child : simdjson::dom::array(e))
                items << render(child);
            return u'[' + items.join(u',') + u']';
        }
        case simdjson::dom::element_type::OBJECT: {
            simdjson::dom::object obj = e;
            simdjson::dom::element records;
            if (obj["records"].get(records) == simdjson::SUCCESS) { // child subquery result
                QStringList items;
                for (simdjson::dom::element r : simdjson::dom::array(records))
                    items << renderRecord(r);
                int64_t total = obj["totalSize"];
                return QStringLiteral("%1[%2]").arg(total).arg(items.join(u';'));
            }
            return u'{' + renderRecord(e) + u'}';
        }
        }
        return {};
    }

    // "key=value key=value" for a record, attributes shown only as the alias of the url's id.
    QString renderRecord(simdjson::dom::element e) const
    {
        QStringList parts;
        for (auto field : simdjson::dom::object(e)) {
            const QString key = QString::fromUtf8(field.key.data(), qsizetype(field.key.size()));
            if (key == u"attributes") {
                std::string_view url;
                if (field.value["url"].get(url) == simdjson::SUCCESS)
                    parts << u'@' + fromUrl(url);
                continue;
            }
            parts << key + u'=' + render(field.value);
        }
        return parts.join(u' ');
    }

    QString resolveAliases(QString text) const
    {
        static const QRegularExpression re(QStringLiteral("\\{([A-Z][0-9]+)(\\.15)?\\}"));
        QRegularExpressionMatch m;
        while ((m = re.match(text)).hasMatch()) {
            QString id = m_idByAlias.value(m.captured(1), m.captured(1));
            if (!m.captured(2).isEmpty())
                id = id.left(15);
            text.replace(m.capturedStart(), m.capturedLength(), id);
        }
        return text;
    }

    bool loadFixture(QString *error)
    {
        const YAML::Node root = YAML::LoadFile((dataDir() + QStringLiteral("/fixture.yaml")).toStdString());
        m_now = QDateTime::fromString(str(root["now"]), Qt::ISODate);
        // First pass: ids for every alias.
        for (const YAML::Node &group : root["objects"]) {
            const ObjectDef *obj = m_store->schema().object(str(group["object"]));
            if (!obj) {
                *error = QStringLiteral("unknown object %1").arg(str(group["object"]));
                return false;
            }
            const quint64 first = m_store->reserveIds(*obj, group["records"].size());
            quint64 n = first;
            for (const YAML::Node &rec : group["records"]) {
                const QString id = Store::idFor(obj->keyPrefix, n++);
                m_idByAlias.insert(str(rec["_id"]), id);
                m_aliasById.insert(id, str(rec["_id"]));
            }
        }
        Store::Transaction tx(*m_store);
        for (const YAML::Node &group : root["objects"]) {
            const ObjectDef *obj = m_store->schema().object(str(group["object"]));
            for (const YAML::Node &rec : group["records"]) {
                QStringList columns { QStringLiteral("Id") };
                QList<QVariant> values { m_idByAlias.value(str(rec["_id"])) };
                bool hasDeleted = false, hasCreated = false;
                for (auto it = rec.begin(); it != rec.end(); ++it) {
                    const QString key = str(it->first);
                    if (key == u"_id")
                        continue;
                    const FieldDef *f = obj->field(key);
                    if (!f) {
                        *error = QStringLiteral("unknown field %1.%2").arg(obj->name, key);
                        return false;
                    }
                    hasDeleted |= key == u"IsDeleted";
                    hasCreated |= key == u"CreatedDate";
                    columns << f->name;
                    const QString raw = str(it->second);
                    if (f->type == u"int" || f->type == u"boolean")
                        values << QVariant(raw.toLongLong());
                    else if (f->isNumeric())
                        values << QVariant(raw.toDouble());
                    else
                        values << QVariant(m_idByAlias.value(raw, raw));
                }
                if (!hasDeleted && obj->hasField(QStringLiteral("IsDeleted"))) {
                    columns << QStringLiteral("IsDeleted");
                    values << QVariant(qint64(0));
                }
                if (!hasCreated) {
                    columns << QStringLiteral("CreatedDate");
                    values << QVariant(QStringLiteral("2024-01-01T00:00:00.000+0000"));
                }
                for (const FieldDef &f : obj->fields) {
                    if (f.type == u"boolean" && !columns.contains(f.name)) {
                        columns << f.name;
                        values << QVariant(qint64(0));
                    }
                }
                Store::BulkInserter ins(*m_store, *obj, columns);
                if (!ins.isValid()) {
                    *error = ins.error();
                    return false;
                }
                for (int i = 0; i < values.size(); ++i) {
                    if (values[i].typeId() == QMetaType::LongLong)
                        ins.integer(i, values[i].toLongLong());
                    else if (values[i].typeId() == QMetaType::Double)
                        ins.real(i, values[i].toDouble());
                    else
                        ins.text(i, values[i].toString());
                }
                if (!ins.next()) {
                    *error = ins.error();
                    return false;
                }
            }
        }
        return tx.commit();
    }

    void loadCases(const QString &file)
    {
        const YAML::Node root = YAML::LoadFile(file.toStdString());
        for (const YAML::Node &n : root) {
            Case c;
            c.name = str(n["name"]);
            c.query = str(n["query"]);
            c.all = n["all"] && n["all"].as<bool>();
            if (n["total"]) {
                c.hasTotal = true;
                c.total = n["total"].as<qint64>();
            }
            if (n["ids"]) {
                c.hasIds = true;
                for (const YAML::Node &i : n["ids"])
                    c.ids << str(i);
            }
            c.unordered = n["unordered"] && n["unordered"].as<bool>();
            if (n["rows"]) {
                c.hasRows = true;
                for (const YAML::Node &r : n["rows"])
                    c.rows << str(r);
            }
            if (n["json"])
                c.json = str(n["json"]);
            if (n["error"]) {
                c.error = str(n["error"]);
                c.row = n["row"].as<int>();
                c.column = n["column"].as<int>();
            }
            if (n["contains"])
                c.contains = str(n["contains"]);
            m_cases << c;
        }
    }

    // Runs the query to the end in pages of `page` records; returns the concatenated records.
    bool run(const Case &c, int page, qint64 *total, QByteArray *records, SimError *err)
    {
        QueryContext ctx;
        ctx.includeDeleted = c.all;
        ctx.now = m_now;
        auto cursor = QueryCursor::open(*m_store, resolveAliases(c.query), ctx, err);
        if (!cursor)
            return false;
        *total = cursor->totalSize();
        QByteArrayList pages;
        int guard = 0;
        while (!cursor->atEnd() && guard++ < 10000) {
            int count = 0;
            QByteArray json = cursor->nextRecordsJson(page, &count);
            if (count <= 0 || count > page)
                return false;
            pages << json.mid(1, json.size() - 2);
        }
        *records = '[' + pages.join(',') + ']';
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_store = std::make_unique<Store>();
        QString error;
        QVERIFY2(m_store->open(QStringLiteral(":memory:"), &error), qPrintable(error));
        QVERIFY2(loadFixture(&error), qPrintable(error));
        const QStringList files = QDir(dataDir()).entryList({ QStringLiteral("cases*.yaml") }, QDir::Files, QDir::Name);
        QVERIFY(!files.isEmpty());
        for (const QString &f : files)
            loadCases(dataDir() + u'/' + f);
        int valid = 0, invalid = 0;
        for (const Case &c : m_cases)
            (c.error.isEmpty() ? valid : invalid)++;
        qInfo("%d result cases, %d error cases", valid, invalid);
        QVERIFY(valid >= 200);
        QVERIFY(invalid >= 50);
    }

    void cases_data()
    {
        QTest::addColumn<Case>("c");
        QSet<QString> names;
        for (const Case &c : m_cases) {
            QVERIFY2(!names.contains(c.name), qPrintable(QStringLiteral("duplicate case name ") + c.name));
            names.insert(c.name);
            QTest::newRow(qPrintable(c.name)) << c;
        }
    }

    void cases()
    {
        QFETCH(Case, c);
        qint64 total = -1;
        QByteArray records;
        SimError err;
        const bool ok = run(c, 3, &total, &records, &err);
        if (!c.error.isEmpty()) {
            QVERIFY2(!ok, qPrintable(QStringLiteral("expected %1, got records %2").arg(c.error, QString::fromUtf8(records))));
            QCOMPARE(err.errorCode, c.error);
            QCOMPARE(err.httpStatus, 400);
            static const QRegularExpression pos(QStringLiteral("ERROR at Row:(\\d+):Column:(\\d+)\\n"));
            const auto m = pos.match(err.message);
            QVERIFY2(m.hasMatch(), qPrintable(err.message));
            const QString where = QStringLiteral("%1:%2").arg(m.captured(1), m.captured(2));
            QCOMPARE(where, QStringLiteral("%1:%2").arg(c.row).arg(c.column));
            if (!c.contains.isEmpty())
                QVERIFY2(err.message.contains(c.contains), qPrintable(err.message));
            return;
        }
        QVERIFY2(ok, qPrintable(err.errorCode + u' ' + err.message));
        if (c.hasTotal)
            QCOMPARE(total, c.total);
        simdjson::dom::parser parser;
        const simdjson::padded_string padded(records.constData(), size_t(records.size()));
        simdjson::dom::element doc;
        QVERIFY2(parser.parse(padded).get(doc) == simdjson::SUCCESS, records.constData());
        simdjson::dom::array arr = doc;
        static const QRegularExpression countCall(QStringLiteral("COUNT\\(\\s*\\)"), QRegularExpression::CaseInsensitiveOption);
        QCOMPARE(qint64(arr.size()), c.query.contains(countCall) ? 0 : total);
        if (c.hasIds) {
            QStringList got;
            for (simdjson::dom::element r : arr) {
                std::string_view url;
                QVERIFY(r["attributes"]["url"].get(url) == simdjson::SUCCESS);
                got << fromUrl(url);
            }
            QStringList want = c.ids;
            if (c.unordered) {
                got.sort();
                want.sort();
            }
            QCOMPARE(got.join(u','), want.join(u','));
        }
        if (c.hasRows) {
            QStringList got;
            for (simdjson::dom::element r : arr)
                got << renderRecord(r);
            QCOMPARE(got.join(QLatin1String(" | ")), c.rows.join(QLatin1String(" | ")));
        }
        if (!c.json.isEmpty())
            QCOMPARE(QString::fromUtf8(records), resolveAliases(c.json));
    }

    void pagingContinuesWhereItStopped()
    {
        QueryContext ctx;
        ctx.now = m_now;
        SimError err;
        auto cursor = QueryCursor::open(*m_store, QStringLiteral("SELECT Id FROM Contact ORDER BY Name"), ctx, &err);
        QVERIFY(cursor);
        QCOMPARE(cursor->totalSize(), 11);
        QStringList seen;
        int pages = 0;
        while (!cursor->atEnd()) {
            int count = 0;
            const QByteArray json = cursor->nextRecordsJson(4, &count);
            QVERIFY(count > 0 && count <= 4);
            ++pages;
            simdjson::dom::parser parser;
            const simdjson::padded_string padded(json.constData(), size_t(json.size()));
            for (simdjson::dom::element r : simdjson::dom::array(parser.parse(padded)))
                seen << fromUrl(std::string_view(r["attributes"]["url"]));
        }
        QCOMPARE(pages, 3);
        QCOMPARE(seen.join(u','), QStringLiteral("C6,C5,C9,C2,C1,C3,C10,C8,C4,C12,C7"));
        int count = -1;
        QCOMPARE(cursor->nextRecordsJson(4, &count), QByteArray("[]"));
        QCOMPARE(count, 0);
    }

    void apiVersionInUrls()
    {
        QueryContext ctx;
        ctx.now = m_now;
        ctx.apiVersion = QStringLiteral("61.0");
        SimError err;
        auto cursor = QueryCursor::open(*m_store, QStringLiteral("SELECT Id FROM Account WHERE Name = 'Globex'"), ctx, &err);
        QVERIFY(cursor);
        int count = 0;
        const QByteArray json = cursor->nextRecordsJson(10, &count);
        QVERIFY(json.contains("\"url\":\"/services/data/v61.0/sobjects/Account/" + m_idByAlias.value(QStringLiteral("A2")).toUtf8() + '"'));
    }

    void salesforceMessageShape()
    {
        QueryContext ctx;
        ctx.now = m_now;
        SimError err;
        QVERIFY(!QueryCursor::open(*m_store, QStringLiteral("SELECT Id, Nmae FROM Account"), ctx, &err));
        QCOMPARE(err.errorCode, QStringLiteral("INVALID_FIELD"));
        QCOMPARE(err.message,
            QStringLiteral("\nSELECT Id, Nmae FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nmae' on "
                           "entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' "
                           "after the custom field name. Please reference your WSDL or the describe call for the "
                           "appropriate names."));
        QVERIFY(!QueryCursor::open(*m_store, QStringLiteral("SELECT Id FROM Account WHERE"), ctx, &err));
        QCOMPARE(err.errorCode, QStringLiteral("MALFORMED_QUERY"));
        QCOMPARE(err.message,
            QStringLiteral("SELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\n"
                           "unexpected token: <EOF>"));
    }
};

QTEST_GUILESS_MAIN(TestSoqlEval)
#include "tst_soqleval.moc"
