#include "soqlerror.h"

#include <QStringList>

namespace fs::soql {

QString formatSalesforceMessage(const QString &query, const SoqlError &error)
{
    const QStringList lines = query.split(u'\n');
    QString excerpt;
    if (error.line >= 1 && error.line <= lines.size())
        excerpt = lines.at(error.line - 1);
    if (excerpt.endsWith(u'\r'))
        excerpt.chop(1);
    QString out;
    if (error.code != u"MALFORMED_QUERY")
        out += u'\n';
    out += excerpt;
    out += u'\n';
    out += QString(qMax(0, error.column - 1), u' ');
    out += u'^';
    out += QStringLiteral("\nERROR at Row:%1:Column:%2\n").arg(error.line).arg(error.column);
    out += error.message;
    return out;
}

QString noSuchColumnMessage(const QString &field, const QString &entity)
{
    return QStringLiteral("No such column '%1' on entity '%2'. If you are attempting to use a custom field, be sure to "
                          "append the '__c' after the custom field name. Please reference your WSDL or the describe "
                          "call for the appropriate names.")
        .arg(field, entity);
}

QString unsupportedTypeMessage(const QString &type)
{
    return QStringLiteral("sObject type '%1' is not supported. If you are attempting to use a custom object, be sure to "
                          "append the '__c' after the entity name. Please reference your WSDL or the describe call for "
                          "the appropriate names.")
        .arg(type);
}

} // namespace fs::soql
