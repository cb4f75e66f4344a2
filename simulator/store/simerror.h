#pragma once

#include <QString>
#include <QStringList>

namespace fs::sim {

// One Salesforce-shaped error: rendered as {"message","errorCode","fields"} in REST bodies and as
// {"statusCode","message","fields"} inside save results.
struct SimError {
    int httpStatus = 400;
    QString errorCode;
    QString message;
    QStringList fields;

    bool isSet() const { return !errorCode.isEmpty(); }
    static SimError make(int status, const QString &code, const QString &message, const QStringList &fields = {})
    {
        return SimError { status, code, message, fields };
    }
};

} // namespace fs::sim
