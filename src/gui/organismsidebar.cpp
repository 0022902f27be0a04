#include "organismsidebar.h"

#include "organismdirectorymodel.h"
#include "session.h"

#include <QHeaderView>
#include <QMenu>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace agentdesk {

OrganismSidebar::OrganismSidebar(OrganismDirectoryModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTreeView(this))
    , m_usageButton(new QPushButton(tr("&Usage of all organisms"), this))
{
    m_view->setObjectName(u"organismList"_s);
    m_view->setModel(model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setColumnHidden(OrganismDirectoryModel::KindColumn, true);
    m_view->setColumnHidden(OrganismDirectoryModel::EndpointColumn, true);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(OrganismDirectoryModel::NameColumn, QHeaderView::ResizeToContents);
    m_usageButton->setObjectName(u"combinedUsageButton"_s);
    // The dock may be narrower than the button's text: the window's minimum width stays the pages'.
    m_usageButton->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_view->setMinimumWidth(80);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // a long status is elided, not scrolled to
    m_usageButton->setToolTip(tr("Tokens, calls and cost of every organism listed here, with their sum"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addWidget(m_usageButton);

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &OrganismSidebar::onCurrentChanged);
    connect(m_view, &QWidget::customContextMenuRequested, this, &OrganismSidebar::showContextMenu);
    connect(m_usageButton, &QPushButton::clicked, this, &OrganismSidebar::combinedUsageRequested);
}

QSize OrganismSidebar::sizeHint() const
{
    const int width = std::max(fontMetrics().averageCharWidth() * 28, m_usageButton->sizeHint().width());
    return {width, QWidget::sizeHint().height()};
}

void OrganismSidebar::setCurrentSession(Session *session)
{
    const int row = m_model->rowOf(session);
    m_settingCurrent = true;
    if (row < 0)
        m_view->selectionModel()->clearSelection();
    else
        m_view->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_settingCurrent = false;
}

void OrganismSidebar::onCurrentChanged()
{
    if (m_settingCurrent)
        return;
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (Session *session = current.isValid() ? m_model->sessionAt(current.row()) : nullptr)
        emit sessionChosen(session);
}

QMenu *OrganismSidebar::contextMenuFor(int row)
{
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    Session *session = m_model->sessionAt(row);
    if (!session) {
        const QString host = m_model->index(row, OrganismDirectoryModel::EndpointColumn).data().toString();
        QAction *connectAction = menu->addAction(tr("&Connect to its API on %1…").arg(host));
        connectAction->setObjectName(u"connectFoundAction"_s);
        connect(connectAction, &QAction::triggered, this, [this, host] { emit connectRequested(host); });
        return menu;
    }
    QAction *show = menu->addAction(tr("&Show"));
    show->setObjectName(u"showOrganismAction"_s);
    connect(show, &QAction::triggered, this, [this, session] { emit sessionChosen(session); });
    QAction *reconnect = menu->addAction(tr("&Reconnect"));
    reconnect->setObjectName(u"reconnectOrganismAction"_s);
    connect(reconnect, &QAction::triggered, this, [this, session] { emit reconnectRequested(session); });
    if (m_model->kindAt(row) == OrganismDirectoryModel::Kind::Attached) {
        QAction *disconnectAction = menu->addAction(tr("&Disconnect and remove"));
        disconnectAction->setObjectName(u"disconnectOrganismAction"_s);
        connect(disconnectAction, &QAction::triggered, this, [this, session] { emit disconnectRequested(session); });
    }
    return menu;
}

void OrganismSidebar::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_view->indexAt(position);
    if (!index.isValid())
        return;
    contextMenuFor(index.row())->popup(m_view->viewport()->mapToGlobal(position));
}

} // namespace agentdesk
