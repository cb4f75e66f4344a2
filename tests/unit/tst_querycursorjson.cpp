// The SOQL cursor writes record JSON itself (for speed): every value must come out byte-for-byte
// as Qt's JSON writer would write it, and attributes come first, fields in SELECT order.
#include "query/querycursor.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace fs::sim;

namespace {

// A scalar as Qt's JSON writer serialises it.
QByteArray qtJson(const QJsonValue &v)
{
    const QByteArray doc = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return doc.mid(1, doc.size() - 2);
}

qint64 employees(double revenue)
{
    return revenue < 0 ? -3 : 12345;
}

} // namespace

class TestQueryCursorJson : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Store> m_store;

    QString insertAccount(const QVariantMap &fields)
    {
        SimError err;
        QString id;
        if (!m_store->insert(QStringLiteral("Account"), fields, &id, &err))
            qWarning("insert failed: %s", qPrintable(err.message));
        return id;
    }

    QByteArray page(const QString &soql, int max = 2000, int *count = nullptr)
    {
        SimError err;
        auto cursor = QueryCursor::open(*m_store, soql, QueryContext {}, &err);
        if (!cursor) {
            qWarning("query failed: %s", qPrintable(err.message));
            return {};
        }
        return cursor->nextRecordsJson(max, count);
    }

    QByteArray attributes(const QString &id) const
    {
        return "\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v59.0/sobjects/Account/" + id.toLatin1() + "\"}";
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_store = std::make_unique<Store>();
        QString error;
        QVERIFY2(m_store->open(QStringLiteral(":memory:"), &error), qPrintable(error));
    }

    void text_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("plain ascii") << QStringLiteral("Acme Corp");
        QTest::newRow("empty") << QString();
        QTest::newRow("double quote") << QStringLiteral("The \"best\" deal");
        QTest::newRow("backslash") << QStringLiteral("C:\\temp\\x");
        QTest::newRow("slash") << QStringLiteral("a/b</script>");
        QTest::newRow("newline and tab") << QStringLiteral("line1\nline2\tend\r");
        QTest::newRow("control characters") << QString::fromUtf8("bell\x07 esc\x1b unit\x1f");
        QTest::newRow("delete character") << QString::fromUtf8("del\x7f");
        QTest::newRow("latin-1 accents") << QString::fromUtf8("Müller São Paulo");
        QTest::newRow("cjk") << QString::fromUtf8("株式会社テスト");
        QTest::newRow("emoji (surrogate pair)") << QString::fromUtf8("deal \xF0\x9F\x98\x80 won");
        QTest::newRow("line separator") << QString::fromUtf8("a\u2028b");
    }

    void text()
    {
        QFETCH(QString, value);
        const QString name = value.isEmpty() ? QStringLiteral("(no name)") : value;
        const QString id = insertAccount({ { QStringLiteral("Name"), name }, { QStringLiteral("Description"), value } });
        QVERIFY(!id.isEmpty());
        int count = 0;
        const QByteArray json = page(QStringLiteral("SELECT Name, Description, Id FROM Account WHERE Id = '%1'").arg(id), 2000, &count);
        QCOMPARE(count, 1);
        // However the store keeps an empty Description (null or ""), the JSON must say the same.
        const QVariant stored = m_store->get(QStringLiteral("Account"), id, nullptr)->value(QStringLiteral("Description"));
        const QJsonValue description = stored.isNull() ? QJsonValue() : QJsonValue(stored.toString());
        const QByteArray expected = "[{" + attributes(id) + ",\"Name\":" + qtJson(name) + ",\"Description\":" + qtJson(description)
            + ",\"Id\":" + qtJson(id) + "}]";
        QCOMPARE(json, expected);
        const QJsonArray parsed = QJsonDocument::fromJson(json).array();
        QCOMPARE(parsed.at(0).toObject().value(u"Name").toString(), name);
    }

    void numbers_data()
    {
        QTest::addColumn<double>("revenue");
        QTest::newRow("zero") << 0.0;
        QTest::newRow("whole") << 500000.0;
        QTest::newRow("negative whole") << -42.0;
        QTest::newRow("cents") << 1234.56;
        QTest::newRow("one tenth") << 0.1;
        QTest::newRow("third") << 1.0 / 3.0;
        QTest::newRow("1e15") << 1e15;
        QTest::newRow("2^53") << 9007199254740992.0;
        QTest::newRow("above 2^53") << 9007199254740994.0;
        QTest::newRow("1e21") << 1e21;
        QTest::newRow("tiny") << 2.5e-7;
        QTest::newRow("negative fraction") << -7.25;
    }

    void numbers()
    {
        QFETCH(double, revenue);
        const QString id = insertAccount({ { QStringLiteral("Name"), QStringLiteral("Numbers") },
            { QStringLiteral("AnnualRevenue"), revenue }, { QStringLiteral("NumberOfEmployees"), employees(revenue) } });
        QVERIFY(!id.isEmpty());
        const QByteArray json = page(QStringLiteral("SELECT AnnualRevenue, NumberOfEmployees FROM Account WHERE Id = '%1'").arg(id));
        const QByteArray expected = "[{" + attributes(id) + ",\"AnnualRevenue\":" + qtJson(revenue)
            + ",\"NumberOfEmployees\":" + qtJson(employees(revenue)) + "}]";
        QCOMPARE(json, expected);
    }

    void nullsAndParents()
    {
        const QString parent = insertAccount({ { QStringLiteral("Name"), QStringLiteral("Parent \"Co\"") } });
        const QString child = insertAccount({ { QStringLiteral("Name"), QStringLiteral("Child") }, { QStringLiteral("ParentId"), parent } });
        const QByteArray json
            = page(QStringLiteral("SELECT Id, Parent.Name, Rating, NumberOfEmployees FROM Account WHERE Id IN ('%1', '%2') ORDER BY Name")
                       .arg(parent, child));
        const QByteArray expected = "[{" + attributes(child) + ",\"Id\":\"" + child.toLatin1() + "\",\"Parent\":{" + attributes(parent)
            + ",\"Name\":" + qtJson(QStringLiteral("Parent \"Co\"")) + "},\"Rating\":null,\"NumberOfEmployees\":null},{" + attributes(parent)
            + ",\"Id\":\"" + parent.toLatin1() + "\",\"Parent\":null,\"Rating\":null,\"NumberOfEmployees\":null}]";
        QCOMPARE(json, expected);
    }

    void pagesResume()
    {
        SimError err;
        auto cursor = QueryCursor::open(*m_store, QStringLiteral("SELECT Id FROM Account"), QueryContext {}, &err);
        QVERIFY(cursor);
        const qint64 total = cursor->totalSize();
        QVERIFY(total > 3);
        qint64 seen = 0;
        while (!cursor->atEnd()) {
            int count = 0;
            const QJsonArray records = QJsonDocument::fromJson(cursor->nextRecordsJson(2, &count)).array();
            QCOMPARE(records.size(), count);
            QVERIFY(count >= 1 && count <= 2);
            seen += count;
        }
        QCOMPARE(seen, total);
        int count = -1;
        QCOMPARE(cursor->nextRecordsJson(2, &count), QByteArray("[]"));
        QCOMPARE(count, 0);
    }
};

QTEST_GUILESS_MAIN(TestQueryCursorJson)
#include "tst_querycursorjson.moc"
