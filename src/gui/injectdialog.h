#pragma once

#include "domain/inject.h"

#include <QDialog>
#include <QPointer>

#include <memory>
#include <optional>

namespace Ui {
class InjectDialog;
}

namespace agentdesk {

class PayloadForm;
class Session;

// Sends one message into the organism: pick a listener, fill the form generated from its payload type
// (or write the XML), optionally continue an existing thread. The organism's answer is shown here — a
// refused payload keeps the dialog open with the reason and the offending field marked.
// In branch mode it replays or forks a recorded message: the listener is the message's, the form and
// the raw XML start from its payload, and Send asks for the new thread (Session::branch).
class InjectDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit InjectDialog(Session *session, QWidget *parent = nullptr);
    ~InjectDialog() override;

    void setTarget(const QString &listener);
    QString target() const;
    void setThreadId(const QString &threadId);
    void setRawXml(const QString &xml); // and switch to the raw XML tab
    bool isRawMode() const;

    void setBranch(ThreadOriginKind kind, const MessageRecord &message);
    bool isBranch() const { return m_branch.has_value(); }

    PayloadForm *form() const { return m_form; }
    InjectRequest request() const;       // what Send sends now
    BranchRequest branchRequest() const; // the same, as a replay or fork of the message (branch mode)
    QString errorText() const;           // the problem or refusal on show, empty when none
    bool isSending() const { return m_sending; }

signals:
    void injected(const agentdesk::InjectedMessage &message);

public slots:
    void send();

private:
    void populateTargets();
    void onTargetChanged();
    void updateState();
    void showError(const QString &text);
    void onReply(const InjectResult &result);

    std::unique_ptr<Ui::InjectDialog> m_ui;
    QPointer<Session> m_session;
    PayloadForm *m_form = nullptr;
    void setGeneratedXml(const QString &xml);

    QString m_exampleXml;   // the target's payload with empty elements to fill in
    QString m_generatedXml; // what the raw tab was filled with, until someone edits it
    bool m_sending = false;
    std::optional<BranchRequest> m_branch;
};

} // namespace agentdesk
