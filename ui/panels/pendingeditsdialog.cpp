#include "pendingeditsdialog.h"

#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace fs::ui {

namespace {

QString shown(const QString &value)
{
    return value.isEmpty() ? PendingEditsDialog::tr("(empty)") : value;
}

} // namespace

PendingEditsDialog::PendingEditsDialog(RecordGridWidget *grid, QWidget *parent)
    : QDialog(parent)
    , m_grid(grid)
{
    setObjectName(QStringLiteral("PendingEditsDialog"));
    setWindowTitle(tr("Pending edits"));
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("pendingSummary"));
    layout->addWidget(m_summary);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("pendingTable"));
    m_table->setHorizontalHeaderLabels({ tr("Record"), tr("Field"), tr("Old value"), tr("New value") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    layout->addWidget(m_table, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_saveButton = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    m_saveButton->setObjectName(QStringLiteral("pendingSave"));
    m_discardButton = buttons->addButton(tr("Discard all"), QDialogButtonBox::DestructiveRole);
    m_discardButton->setObjectName(QStringLiteral("pendingDiscard"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_saveButton, &QPushButton::clicked, this, [this] {
        if (m_grid)
            m_grid->savePending();
        accept();
    });
    connect(m_discardButton, &QPushButton::clicked, this, [this] {
        if (m_grid)
            m_grid->discardPending();
    });
    if (m_grid)
        connect(m_grid->model(), &RecordTableModel::pendingChanged, this, &PendingEditsDialog::refresh);
    resize(720, 320);
    refresh();
}

void PendingEditsDialog::refresh()
{
    const QList<RecordTableModel::PendingChange> changes
        = m_grid ? m_grid->model()->pendingChanges() : QList<RecordTableModel::PendingChange>();
    m_table->setRowCount(int(changes.size()));
    QSet<QString> records;
    for (int r = 0; r < changes.size(); ++r) {
        const RecordTableModel::PendingChange &c = changes.at(r);
        records.insert(c.recordId);
        const QStringList cells { c.recordId, c.field, shown(c.oldText), shown(c.newText) };
        for (int col = 0; col < cells.size(); ++col) {
            auto *item = new QTableWidgetItem(cells.at(col));
            item->setToolTip(cells.at(col));
            m_table->setItem(r, col, item);
        }
    }
    m_table->resizeColumnsToContents();
    m_summary->setText(changes.isEmpty()
            ? tr("No pending edits.")
            : tr("%n change(s)", nullptr, int(changes.size())) + tr(" in %n record(s), not saved yet:", nullptr, int(records.size())));
    m_saveButton->setEnabled(!changes.isEmpty());
    m_discardButton->setEnabled(!changes.isEmpty());
}

QString PendingEditsDialog::previewText() const
{
    return m_grid ? previewText(*m_grid) : QString();
}

QString PendingEditsDialog::previewText(const RecordGridWidget &grid)
{
    QStringList lines;
    for (const RecordTableModel::PendingChange &c : grid.model()->pendingChanges())
        lines.append(QStringLiteral("%1  %2: %3 → %4").arg(c.recordId, c.field, shown(c.oldText), shown(c.newText)));
    return lines.join(QLatin1Char('\n'));
}

} // namespace fs::ui
