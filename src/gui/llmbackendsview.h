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
// no backend or the server does not report them — unless it is told to explain instead (the Load page,
// where an absent table would leave the operator guessing why nothing names a backend).
class LlmBackendsView final : public QWidget
{
    Q_OBJECT
public:
    explicit LlmBackendsView(QWidget *parent = nullptr);
    ~LlmBackendsView() override;

    void setSession(Session *session);
    QTableView *table() const { return m_table; }
    // Stays visible without backends and says why there are none (this server does not report them, or
    // the organism has none) instead of hiding.
    void setExplainsAbsence(bool explains);
    QString titleText() const;

private:
    void updateState();

    QPointer<Session> m_session;
    std::unique_ptr<QObject> m_scope; // owns the model of the current session
    LlmBackendModel *m_model = nullptr;
    bool m_explainsAbsence = false;
    QLabel *m_title;
    QTableView *m_table;
};

} // namespace agentdesk
