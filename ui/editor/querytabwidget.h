#pragma once

#include "api/types.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace fs {
class EngineClient;
}

namespace fs::ui {

class DescribeCache;
class QueryStore;
class RecordGridWidget;
class SoqlEditor;

// One editor tab: SOQL editor above, streaming results below. Runs through EngineClient and keeps
// only answers carrying its own request id. GUI thread only.
class QueryTabWidget : public QWidget {
    Q_OBJECT
public:
    QueryTabWidget(fs::EngineClient *client, DescribeCache *cache, QueryStore *store, QWidget *parent = nullptr);
    ~QueryTabWidget() override;

    SoqlEditor *editor() const { return m_editor; }
    RecordGridWidget *grid() const { return m_grid; }
    QString text() const;
    void setText(const QString &soql);
    void setOrg(const QString &alias) { m_org = alias; }
    bool isRunning() const { return m_request != 0; }
    QString title() const;

public Q_SLOTS:
    void run();
    void cancel();

Q_SIGNALS:
    void titleChanged(const QString &title);
    void statusMessage(const QString &message);
    void textEdited();
    void queryStarted();
    void queryFinished(bool ok);

private:
    void setRunning(bool running);

    fs::EngineClient *m_client = nullptr;
    DescribeCache *m_cache = nullptr;
    QueryStore *m_store = nullptr;
    SoqlEditor *m_editor = nullptr;
    RecordGridWidget *m_grid = nullptr;
    QToolButton *m_runButton = nullptr;
    QToolButton *m_cancelButton = nullptr;
    QLabel *m_message = nullptr;
    fs::RequestId m_request = 0;
    QString m_org;
    QString m_lastTitle;
};

} // namespace fs::ui
