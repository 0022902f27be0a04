#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTableView;

namespace agentdesk {

class ScopeBudgetModel;
class Session;

// The agent and organism budgets (budgets: in organism.yaml) on the Usage page: each with its period,
// what it used, its limit, a gauge with the 75/90/95 % marks, what calls in flight reserved, the
// threads it holds and when it starts again; "Change…" (or a double click) raises, lowers, re-periods
// or resets the selected one.
class ScopeBudgetsView final : public QWidget
{
    Q_OBJECT
public:
    explicit ScopeBudgetsView(QWidget *parent = nullptr);
    ~ScopeBudgetsView() override;

    void setSession(Session *session);
    QTableView *table() const { return m_table; }
    QString selectedScope() const;
    bool selectScope(const QString &scope);

public slots:
    void changeSelected(); // opens the dialog for the selected budget
    void setCommandsEnabled(bool enabled);

signals:
    void statusMessage(const QString &text);
    void commandFailed(const QString &what, const QString &error);

private:
    void updateState();

    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope; // owns the model of the current session
    ScopeBudgetModel *m_model = nullptr;
    QLabel *m_note;
    QPushButton *m_changeButton;
    QTableView *m_table;
    bool m_commandsEnabled = true;
};

} // namespace agentdesk
