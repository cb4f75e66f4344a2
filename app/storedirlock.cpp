#include "storedirlock.h"

#include <QCoreApplication>
#include <QDir>
#include <QLockFile>
#include <QTemporaryDir>

#include <algorithm>

namespace fs::app {

QString StoreDirLock::lockFileName()
{
    return QStringLiteral("instance.lock");
}

StoreDirLock::StoreDirLock(const QString &baseDir, int maxInstances)
    : m_base(QDir::cleanPath(QDir(baseDir).absolutePath()))
{
    if (!baseDir.isEmpty()) {
        for (int slot = 1; slot <= std::max(1, maxInstances); ++slot) {
            const QString dir = slot == 1 ? m_base : QDir(m_base).filePath(QStringLiteral("instance-%1").arg(slot));
            if (tryClaim(dir)) {
                m_slot = slot;
                m_dir = dir;
                return;
            }
        }
    }
    // Every slot is busy (or nothing is writable): this run keeps its store in a temporary folder.
    m_temp = std::make_unique<QTemporaryDir>(QDir(QDir::tempPath()).filePath(QStringLiteral("forcescope-store-XXXXXX")));
    m_slot = 0;
    m_dir = m_temp->isValid() ? m_temp->path() : QString();
}

StoreDirLock::~StoreDirLock()
{
    if (m_lock)
        m_lock->unlock();
}

bool StoreDirLock::tryClaim(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return false;
    auto lock = std::make_unique<QLockFile>(QDir(dir).filePath(lockFileName()));
    // Held for the whole session, so never stale by age; only a dead owner's lock is taken over.
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0))
        return false;
    m_lock = std::move(lock);
    return true;
}

QString StoreDirLock::description() const
{
    if (isBase())
        return {};
    if (isTemporary()) {
        return QCoreApplication::translate("fs::app::StoreDirLock",
            "Another Forcescope window is using %1; this window keeps its tabs and history in a temporary "
            "folder that is removed when it closes.")
            .arg(QDir::toNativeSeparators(m_base));
    }
    return QCoreApplication::translate("fs::app::StoreDirLock",
        "Another Forcescope window is using %1; this window keeps its tabs and history in %2.")
        .arg(QDir::toNativeSeparators(m_base), QDir::toNativeSeparators(m_dir));
}

} // namespace fs::app
