#pragma once

#include <QPlainTextEdit>

class QCompleter;
class QStringListModel;

namespace fs::ui {

class DescribeCache;
class SoqlHighlighter;

// The SOQL text editor: highlighting from the shared lexer, completion of objects, fields, parent
// paths and child relationships from the describe cache, and a wavy underline at an error's
// line/column with the message as tooltip. Ctrl+Enter asks to run, Esc to cancel. GUI thread only.
class SoqlEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit SoqlEditor(DescribeCache *cache, QWidget *parent = nullptr);

    // 1-based line/column, as SOQL errors carry them. Cleared by the next edit.
    void setError(int line, int column, const QString &message);
    void clearError();
    bool hasError() const { return !m_errorMessage.isEmpty(); }
    QString errorMessage() const { return m_errorMessage; }
    int errorPosition() const { return m_errorPos; }
    // The wavy underline's colour: a red derived from the current palette (light or dark).
    QColor errorUnderlineColor() const;

    QCompleter *completer() const { return m_completer; }
    // Shows completions for the cursor position (Ctrl+Space does the same).
    void complete();

Q_SIGNALS:
    void runRequested();
    void cancelRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void insertCompletion(const QString &completion);
    void refreshCompletions();

    DescribeCache *m_cache = nullptr;
    SoqlHighlighter *m_highlighter = nullptr;
    QCompleter *m_completer = nullptr;
    QStringListModel *m_completionModel = nullptr;
    QString m_errorMessage;
    int m_errorPos = -1;
    int m_completionStart = 0;
    bool m_waitingForDescribe = false;
    bool m_recolouring = false; // theme switch: the rehighlight must not clear the error
};

} // namespace fs::ui
