#include "requestsanitizer.h"

#include <QStringList>
#include <QUrl>

namespace fs::engine::RequestSanitizer {

QString redactSoqlLiterals(const QString &soql)
{
    QString out;
    out.reserve(soql.size());
    const qsizetype n = soql.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = soql.at(i);
        if (c == u'{') { // SOSL search term: FIND {Acme*}
            const qsizetype close = soql.indexOf(u'}', i + 1);
            out += QStringLiteral("{***}");
            if (close < 0)
                return out;
            i = close;
            continue;
        }
        if (c != u'\'') {
            out += c;
            continue;
        }
        // Skip to the closing quote, honouring backslash escapes.
        qsizetype j = i + 1;
        bool closed = false;
        while (j < n) {
            const QChar k = soql.at(j);
            if (k == u'\\') {
                j += 2;
                continue;
            }
            if (k == u'\'') {
                closed = true;
                break;
            }
            ++j;
        }
        out += QStringLiteral("'***'");
        if (!closed)
            return out;
        i = j;
    }
    return out;
}

bool isSensitiveParameter(const QString &name)
{
    const QString n = name.toLower();
    static const QStringList contains = { QStringLiteral("token"), QStringLiteral("password"),
        QStringLiteral("passwd"), QStringLiteral("secret"), QStringLiteral("assertion"), QStringLiteral("signature"),
        QStringLiteral("verifier"), QStringLiteral("session"), QStringLiteral("apikey"), QStringLiteral("api_key"),
        QStringLiteral("private") };
    for (const auto &c : contains) {
        if (n.contains(c))
            return true;
    }
    static const QStringList exact
        = { QStringLiteral("code"), QStringLiteral("sid"), QStringLiteral("key"), QStringLiteral("pwd") };
    return exact.contains(n);
}

namespace {

    QString decodeComponent(QString s)
    {
        s.replace(u'+', u' ');
        return QUrl::fromPercentEncoding(s.toUtf8());
    }

    bool isAsciiAlnum(QChar c)
    {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
    }

    // Resources that follow /sobjects/<Type>/ and are not an external-id field name.
    bool isSObjectResourceWord(const QString &segment)
    {
        static const QStringList words = { QStringLiteral("describe"), QStringLiteral("updated"),
            QStringLiteral("deleted"), QStringLiteral("listviews"), QStringLiteral("quickActions"),
            QStringLiteral("layouts"), QStringLiteral("compactLayouts"), QStringLiteral("approvalLayouts"),
            QStringLiteral("eventSchema"), QStringLiteral("relevantItems"), QStringLiteral("defaultValues"),
            QStringLiteral("namedLayouts"), QStringLiteral("platformaction"), QStringLiteral("richTextImageFields") };
        return words.contains(segment, Qt::CaseInsensitive);
    }

} // namespace

bool looksLikeRecordId(const QString &segment)
{
    if (segment.size() != 15 && segment.size() != 18)
        return false;
    bool digit = false;
    for (QChar c : segment) {
        if (!isAsciiAlnum(c))
            return false;
        digit = digit || c.isDigit();
    }
    if (segment.size() == 15)
        return digit; // every key prefix has a digit; a field name of 15 letters does not
    // The 18-character form: one checksum character per block of five, one bit per upper-case letter.
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    for (int block = 0; block < 3; ++block) {
        int bits = 0;
        for (int k = 0; k < 5; ++k) {
            const QChar c = segment.at(block * 5 + k);
            if (c >= u'A' && c <= u'Z')
                bits |= 1 << k;
        }
        if (segment.at(15 + block) != QLatin1Char(kAlphabet[bits]))
            return false;
    }
    return true;
}

QString redactPathValues(const QString &path)
{
    QStringList segments = path.split(u'/');
    for (qsizetype i = 0; i + 3 < segments.size(); ++i) {
        if (segments.at(i) != u"sobjects")
            continue;
        const QString &second = segments.at(i + 2);
        if (second.isEmpty() || looksLikeRecordId(second) || isSObjectResourceWord(second))
            return path;
        // <Type>/<ExternalIdField>/<value…>: the value may itself hold (encoded or raw) slashes.
        segments.resize(i + 4);
        segments[i + 3] = QStringLiteral("***");
        return segments.join(u'/');
    }
    return path;
}

QString sanitizeTarget(const QString &pathOrUrl)
{
    QString target = pathOrUrl;
    // Drop the fragment, then scheme/authority if absolute.
    if (const qsizetype hash = target.indexOf(u'#'); hash >= 0)
        target.truncate(hash);
    if (const qsizetype scheme = target.indexOf(QStringLiteral("://")); scheme >= 0 && scheme < target.indexOf(u'/')) {
        const qsizetype pathStart = target.indexOf(u'/', scheme + 3);
        const qsizetype queryStart = target.indexOf(u'?', scheme + 3);
        qsizetype cut = pathStart;
        if (cut < 0 || (queryStart >= 0 && queryStart < cut))
            cut = queryStart;
        target = cut < 0 ? QStringLiteral("/") : target.mid(cut);
        if (target.startsWith(u'?'))
            target.prepend(u'/');
    }

    const qsizetype q = target.indexOf(u'?');
    if (q < 0)
        return redactPathValues(target);
    const QString path = redactPathValues(target.left(q));
    const QStringList params = target.mid(q + 1).split(u'&', Qt::SkipEmptyParts);
    QStringList out;
    for (const QString &param : params) {
        const qsizetype eq = param.indexOf(u'=');
        const QString rawName = eq < 0 ? param : param.left(eq);
        const QString name = decodeComponent(rawName);
        if (eq < 0) {
            out << (isSensitiveParameter(name) ? name : rawName);
            continue;
        }
        const QString rawValue = param.mid(eq + 1);
        if (isSensitiveParameter(name))
            out << name + QStringLiteral("=***");
        else if (name == u"q" || name == u"s")
            out << name + u'=' + redactSoqlLiterals(decodeComponent(rawValue));
        else
            out << rawName + u'=' + rawValue;
    }
    return path + u'?' + out.join(u'&');
}

} // namespace fs::engine::RequestSanitizer
