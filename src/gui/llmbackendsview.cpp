#include "llmbackendsview.h"

#include "llmbackendmodel.h"
#include "session.h"
#include "viewdefaults.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace agentdesk {

LlmBackendsView::LlmBackendsView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("llmBackendsView"));
    m_table->setObjectName(QStringLiteral("llmBackendTable"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionsMovable(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    updateState();
}

LlmBackendsView::~LlmBackendsView() = default;

void LlmBackendsView::setSession(Session *session)
{
    m_table->setModel(nullptr);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_model = nullptr;
    if (session) {
        m_model = new LlmBackendModel(session, m_scope.get());
        m_table->setModel(m_model);
        layOutColumns(m_table, {}, {110, 120, 170, 230, 70, 70, 150, 130, 140, 70});
        connect(m_model, &QAbstractItemModel::modelReset, this, &LlmBackendsView::updateState);
        connect(session, &Session::llmBackendsChanged, this, &LlmBackendsView::updateState);
        connect(session, &Session::stateChanged, this, &LlmBackendsView::updateState);
    }
    updateState();
}

void LlmBackendsView::setExplainsAbsence(bool explains)
{
    m_explainsAbsence = explains;
    updateState();
}

QString LlmBackendsView::titleText() const
{
    return m_title->text();
}

void LlmBackendsView::updateState()
{
    const int count = m_model ? m_model->rowCount() : 0;
    int holding = 0;
    for (int row = 0; row < count; ++row)
        holding += m_model->backend(row).holdsCalls() ? 1 : 0;
    const bool connected = m_session && m_session->isConnected();
    if (count == 0 && connected && !m_session->abilities().reportsBackends)
        m_title->setText(tr("LLM backends: this server does not report them (GET /llm/backends is an agentdesk "
                            "extension)"));
    else if (count == 0 && connected)
        m_title->setText(tr("LLM backends: none configured in this organism"));
    else
        m_title->setText(holding > 0 ? tr("LLM backends — %n holding calls up", nullptr, holding) : tr("LLM backends"));
    m_table->setVisible(count > 0);
    setVisible(count > 0 || (m_explainsAbsence && connected));
}

} // namespace agentdesk
