#include "schemabrowserwidget.h"

#include "describecache.h"
#include "fieldlistmodel.h"
#include "objectlistmodel.h"

#include "soql/builder.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QResizeEvent>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace fs::ui {

namespace {
QTableView *makeTable(QWidget *parent, const QString &name)
{
    auto *t = new QTableView(parent);
    t->setObjectName(name);
    t->verticalHeader()->hide();
    t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setWordWrap(false);
    t->setAlternatingRowColors(true);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}
} // namespace

SchemaBrowserWidget::SchemaBrowserWidget(DescribeCache *cache, QWidget *parent)
    : QWidget(parent)
    , m_cache(cache)
    , m_objectModel(new ObjectListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_fieldModel(new FieldListModel(this))
    , m_childModel(new ChildRelationshipModel(this))
{
    setObjectName(QStringLiteral("SchemaBrowserWidget"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("schemaFilter"));
    m_filter->setPlaceholderText(tr("Filter objects…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_proxy->setSourceModel(m_objectModel);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_objects = makeTable(split, QStringLiteral("schemaObjects"));
    m_objects->setModel(m_proxy);
    // API name and label are about as long as each other: share the width, and let the user
    // drag the divider.
    m_objects->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_objects->horizontalHeader()->setStretchLastSection(true);
    m_objects->horizontalHeader()->setMinimumSectionSize(80);
    m_objects->setToolTip(tr("Double-click or press Enter to open a starter query"));

    auto *detail = new QWidget(split);
    auto *dl = new QVBoxLayout(detail);
    dl->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(detail);
    m_title->setObjectName(QStringLiteral("schemaTitle"));
    m_title->setTextFormat(Qt::RichText);
    dl->addWidget(m_title);
    m_tabs = new QTabWidget(detail);
    m_tabs->setDocumentMode(true);
    m_fields = makeTable(m_tabs, QStringLiteral("schemaFields"));
    m_fields->setModel(m_fieldModel);
    m_children = makeTable(m_tabs, QStringLiteral("schemaChildren"));
    m_children->setModel(m_childModel);
    m_tabs->addTab(m_fields, tr("Fields"));
    m_tabs->addTab(m_children, tr("Child relationships"));
    dl->addWidget(m_tabs);
    split->addWidget(m_objects);
    split->addWidget(detail);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    // A divider the user dragged stays where it is. The stretched last sections resize on their
    // own with the view, so they do not count.
    connect(m_objects->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int logical) {
        if (!m_fitting && logical == 0)
            m_userSizedObjects = true;
    });
    connect(m_fields->horizontalHeader(), &QHeaderView::sectionResized, this, [this](int logical) {
        if (!m_fitting && logical != FieldListModel::Details)
            m_userSizedFields = true;
    });
    fitColumns();

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_objects->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) {
            const QString name = current.siblingAtColumn(0).data(ObjectListModel::NameRole).toString();
            if (!name.isEmpty())
                showDescribe(name);
        });
    connect(m_objects, &QTableView::activated, this, [this](const QModelIndex &index) {
        requestStarterQuery(index.siblingAtColumn(0).data(ObjectListModel::NameRole).toString());
    });

    connect(m_cache, &DescribeCache::globalReady, this, [this] {
        m_objectModel->setObjects(m_cache->objects());
        m_title->setText(tr("%n object(s)", nullptr, int(m_cache->objects().size())));
    });
    connect(m_cache, &DescribeCache::describeReady, this, [this](const QString &name) {
        if (name.compare(m_current, Qt::CaseInsensitive) == 0)
            showDescribe(name);
        if (name.compare(m_pendingStarter, Qt::CaseInsensitive) == 0) {
            m_pendingStarter.clear();
            requestStarterQuery(name);
        }
    });
    connect(m_cache, &DescribeCache::describeFailed, this, [this](const QString &name, const QString &message) {
        if (name.compare(m_current, Qt::CaseInsensitive) == 0)
            m_title->setText(tr("<b>%1</b>: %2").arg(name.toHtmlEscaped(), message.toHtmlEscaped()));
    });
    if (m_cache->hasGlobal())
        m_objectModel->setObjects(m_cache->objects());
}

void SchemaBrowserWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    fitColumns();
}

void SchemaBrowserWidget::fitColumns()
{
    m_fitting = true;
    const int objectsWidth = std::max(200, m_objects->viewport()->width());
    if (!m_userSizedObjects)
        m_objects->setColumnWidth(0, objectsWidth / 2);
    if (!m_userSizedFields) {
        const int w = std::max(360, m_fields->viewport()->width());
        m_fields->setColumnWidth(FieldListModel::Label, std::max(90, w * 28 / 100));
        m_fields->setColumnWidth(FieldListModel::ApiName, std::max(100, w * 30 / 100));
        m_fields->setColumnWidth(FieldListModel::Type, std::max(70, w * 16 / 100));
        m_fields->setColumnWidth(FieldListModel::Length, std::max(50, w * 9 / 100));
    }
    const int childWidth = std::max(240, m_children->viewport()->width());
    m_children->setColumnWidth(0, childWidth * 45 / 100);
    m_children->setColumnWidth(1, childWidth * 35 / 100);
    m_fitting = false;
}

void SchemaBrowserWidget::selectObject(const QString &name)
{
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex i = m_proxy->index(r, 0);
        if (i.data(ObjectListModel::NameRole).toString().compare(name, Qt::CaseInsensitive) == 0) {
            m_objects->setCurrentIndex(i);
            m_objects->scrollTo(i);
            return;
        }
    }
    showDescribe(name);
}

void SchemaBrowserWidget::showDescribe(const QString &name)
{
    m_current = name;
    const fs::SObjectDescribe *d = m_cache->describe(name);
    if (!d) {
        m_title->setText(tr("<b>%1</b> — loading…").arg(name.toHtmlEscaped()));
        m_fieldModel->clear();
        m_childModel->clear();
        m_cache->request(name);
        return;
    }
    m_title->setText(tr("<b>%1</b> (%2) — %n field(s)", nullptr, int(d->fields.size()))
                         .arg(d->summary.name.toHtmlEscaped(), d->summary.label.toHtmlEscaped()));
    m_fieldModel->setDescribe(*d);
    m_childModel->setDescribe(*d);
    Q_EMIT objectShown(d->summary.name);
}

void SchemaBrowserWidget::requestStarterQuery(const QString &object)
{
    if (object.isEmpty())
        return;
    const fs::SObjectDescribe *d = m_cache->describe(object);
    if (!d) {
        m_pendingStarter = object;
        m_cache->request(object);
        return;
    }
    Q_EMIT starterQueryRequested(starterQuery(*d), d->summary.name);
}

QString SchemaBrowserWidget::starterQuery(const fs::SObjectDescribe &d)
{
    // Id, the name field, a handful of readable fields, and SystemModstamp (inline edits need it
    // for conflict-checked saves).
    QStringList fields { QStringLiteral("Id") };
    auto add = [&fields](const QString &f) {
        if (!f.isEmpty() && !fields.contains(f, Qt::CaseInsensitive))
            fields.append(f);
    };
    for (const fs::FieldDescribe &f : d.fields) {
        if (f.nameField)
            add(f.name);
    }
    int extra = 0;
    for (const fs::FieldDescribe &f : d.fields) {
        if (extra >= 6)
            break;
        if (f.type == u"id" || f.type == u"base64" || f.type == u"address" || f.type == u"location"
            || f.type == u"textarea" || f.calculated || f.name == u"SystemModstamp")
            continue;
        if (f.type == u"reference" && !f.relationshipName.isEmpty()) {
            if (f.name == u"OwnerId") {
                add(f.relationshipName + QStringLiteral(".Name"));
                ++extra;
            }
            continue;
        }
        if (!fields.contains(f.name, Qt::CaseInsensitive)) {
            add(f.name);
            ++extra;
        }
    }
    if (d.field(QStringLiteral("SystemModstamp")))
        add(QStringLiteral("SystemModstamp"));
    return fs::soql::Builder(d.summary.name).select(fields).limit(200).build();
}

} // namespace fs::ui
