#include "syntheticpages.h"

#include "query/recordbatchbuilder.h"

#include <QString>

#include <string_view>

namespace fs::testsupport {

fs::RecordBatch syntheticContactPage(int first, int count, qint64 total)
{
    fs::RecordBatchBuilder b;
    b.reserve(count, qsizetype(count) * 160);
    for (int i = first; i < first + count; ++i) {
        const QByteArray id = QStringLiteral("003%1AAA").arg(i, 12, 10, QLatin1Char('0')).toUtf8();
        const std::string_view idv(id.constData(), size_t(id.size()));
        b.beginRecord("Contact", idv);
        b.addString("Id", idv);
        const QByteArray last = QStringLiteral("Lastname%1").arg(qint64(i) * 7919 % 100003).toUtf8();
        b.addString("LastName", std::string_view(last.constData(), size_t(last.size())));
        b.addString("Email", "someone@example.com");
        b.addNumber("Score__c", double((qint64(i) * 31) % 977));
        b.addString("Account.Name", "Acme Corporation");
        b.addString("SystemModstamp", "2024-01-01T00:00:00.000+0000");
        b.endRecord();
    }
    b.setResultInfo(total, first + count >= total, {});
    return b.build();
}

} // namespace fs::testsupport
