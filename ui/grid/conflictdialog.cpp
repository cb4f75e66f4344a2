#include "conflictdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace fs::ui {

namespace {
QString shown(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return QObject::tr("(empty)");
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}
} // namespace

ConflictDialog::ConflictDialog(const fs::RecordConflict &conflict, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("ConflictDialog"));
    setWindowTitle(tr("Record changed on the server"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("<b>%1 %2</b> was changed by someone else after you loaded it "
                                "(server version %3).<br>Choose which values to keep.")
                                 .arg(conflict.sobjectType.toHtmlEscaped(), conflict.id.toHtmlEscaped(),
                                     conflict.serverModstamp.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    QStringList fields = conflict.attempted.keys();
    for (auto it = conflict.serverValues.cbegin(); it != conflict.serverValues.cend(); ++it) {
        if (!fields.contains(it.key()))
            fields.append(it.key());
    }
    m_table = new QTableWidget(int(fields.size()), 3, this);
    m_table->setObjectName(QStringLiteral("conflictTable"));
    m_table->setHorizontalHeaderLabels({ tr("Field"), tr("Your value"), tr("Server's value") });
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int r = 0; r < fields.size(); ++r) {
        const QString &f = fields.at(r);
        m_table->setItem(r, 0, new QTableWidgetItem(f));
        m_table->setItem(r, 1,
            new QTableWidgetItem(conflict.attempted.contains(f) ? shown(conflict.attempted.value(f)) : QString()));
        auto *server = new QTableWidgetItem(shown(conflict.serverValues.value(f)));
        if (conflict.attempted.contains(f) && shown(conflict.attempted.value(f)) != server->text()) {
            QFont bold = server->font();
            bold.setBold(true);
            server->setFont(bold);
        }
        m_table->setItem(r, 2, server);
    }
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->resizeColumnsToContents(); // a handful of rows
    layout->addWidget(m_table);

    auto *buttons = new QDialogButtonBox(this);
    QPushButton *keep = buttons->addButton(tr("&Keep mine"), QDialogButtonBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepMine"));
    QPushButton *take = buttons->addButton(tr("&Take theirs"), QDialogButtonBox::RejectRole);
    take->setObjectName(QStringLiteral("takeTheirs"));
    take->setDefault(true);
    connect(keep, &QPushButton::clicked, this, [this] {
        m_choice = KeepMine;
        accept();
    });
    connect(take, &QPushButton::clicked, this, [this] {
        m_choice = TakeTheirs;
        reject();
    });
    layout->addWidget(buttons);
    resize(620, 300);
}

} // namespace fs::ui
