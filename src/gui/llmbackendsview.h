#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

class QLabel;
class QTableView;

namespace agentdesk {

class LlmBackendModel;
class Session;

// The LLM backends on the Agents page: each with its provider and models, its state (ok, rate-limited
// and for how long, failing since when — the last error as tooltip), attempts in flight and queued, the
// tokens left in its rate-limit window, latency and time to first token. Hidden when the organism has
// no backend or the server does not report them.
class LlmBackendsView final : public QWidget
{
    Q_OBJECT
public:
    explicit LlmBackendsView(QWidget *parent = nullptr);
    ~LlmBackendsView() override;

    void setSession(Session *session);
    QTableView *table() const { return m_table; }

private:
    void updateState();

    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope; // owns the model of the current session
    LlmBackendModel *m_model = nullptr;
    QLabel *m_title;
    QTableView *m_table;
};

} // namespace agentdesk
