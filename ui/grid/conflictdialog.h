#pragma once

#include "api/types.h"

#include <QDialog>

class QTableWidget;

namespace fs::ui {

// Someone else changed a record the user edited: shows, per touched field, the user's value next to
// the server's newer one, and asks whether to keep the user's values (save again over the new
// modstamp) or take the server's. GUI thread only.
class ConflictDialog : public QDialog {
    Q_OBJECT
public:
    enum Choice { KeepMine = 1, TakeTheirs = 2 };

    explicit ConflictDialog(const fs::RecordConflict &conflict, QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table = nullptr;
    Choice m_choice = TakeTheirs;
};

} // namespace fs::ui
