#pragma once

#include <QString>

#include <memory>

class QLockFile;
class QTemporaryDir;

namespace fs::app {

// Claims a store directory (query history, saved queries, tab autosave) for one running window,
// so two instances never write the same autosave.json / history file.
//
// The base directory is guarded by a QLockFile (`<dir>/instance.lock`, held while this object
// lives; a lock left by a crashed process is recognised by its dead PID and taken over). An
// instance that finds the base locked uses the first free per-instance subfolder
// `<base>/instance-2` … `<base>/instance-<maxInstances>`, each guarded the same way, so a second
// window keeps its own tabs across restarts. If every slot is taken or the base cannot be written,
// a temporary directory is used and removed at exit.
class StoreDirLock {
public:
    explicit StoreDirLock(const QString &baseDir, int maxInstances = 8);
    ~StoreDirLock();
    StoreDirLock(const StoreDirLock &) = delete;
    StoreDirLock &operator=(const StoreDirLock &) = delete;

    QString baseDirectory() const { return m_base; }
    QString directory() const { return m_dir; } // the directory this instance uses
    bool isBase() const { return m_slot == 1; } // the base itself (the usual, single-instance case)
    bool isTemporary() const { return m_temp != nullptr; }
    int slot() const { return m_slot; } // 1 = base, 2.. = instance-N, 0 = temporary
    // One sentence for the status bar and the log; empty when the base directory is used.
    QString description() const;

    static QString lockFileName();

private:
    bool tryClaim(const QString &dir);

    QString m_base;
    QString m_dir;
    int m_slot = 0;
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<QTemporaryDir> m_temp;
};

} // namespace fs::app
