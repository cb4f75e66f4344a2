#pragma once

#include <QDialog>

class QLabel;
class QPushButton;
class QTableWidget;

namespace fs::ui {

class RecordGridWidget;

// Preview of the grid's pending edits before saving: one line per changed cell with record,
// field, old value → new value, and Save / Discard buttons that act on the grid. Follows the
// model while open (an edit, a save or a discard refreshes it). GUI thread only.
class PendingEditsDialog : public QDialog {
    Q_OBJECT
public:
    explicit PendingEditsDialog(RecordGridWidget *grid, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    // The preview as plain text, one change a line: "<id>  <field>: <old> → <new>".
    QString previewText() const;
    static QString previewText(const RecordGridWidget &grid);

public Q_SLOTS:
    void refresh();

private:
    RecordGridWidget *m_grid = nullptr;
    QLabel *m_summary = nullptr;
    QTableWidget *m_table = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_discardButton = nullptr;
};

} // namespace fs::ui
