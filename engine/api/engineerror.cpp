#include "engineerror.h"

namespace fs {

QString categoryName(EngineError::Category category)
{
    switch (category) {
    case EngineError::Category::None:
        return QStringLiteral("none");
    case EngineError::Category::Network:
        return QStringLiteral("network");
    case EngineError::Category::Auth:
        return QStringLiteral("auth");
    case EngineError::Category::Limits:
        return QStringLiteral("limits");
    case EngineError::Category::Validation:
        return QStringLiteral("validation");
    case EngineError::Category::Server:
        return QStringLiteral("server");
    case EngineError::Category::Cancelled:
        return QStringLiteral("cancelled");
    case EngineError::Category::Conflict:
        return QStringLiteral("conflict");
    }
    return QStringLiteral("unknown");
}

} // namespace fs
