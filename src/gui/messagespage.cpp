#include "messagespage.h"
#include "ui_messagespage.h"

#include "messagelogmodel.h"
#include "session.h"
#include "viewdefaults.h"
#include "xmltext.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace agentdesk {

namespace {
constexpr int kFilterDelayMs = 250;
} // namespace

MessagesPage::MessagesPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::MessagesPage>())
{
    m_ui->setupUi(this);
    m_ui->xmlText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setSizes({440, 160});
    // Fixed row heights: a view that measures rows would measure thousands of them per second.
    QHeaderView *rows = m_ui->messageTable->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    m_ui->messageTable->horizontalHeader()->setSectionsMovable(true);
    m_ui->followButton->setIcon(QIcon::fromTheme(u"go-top"_s));
    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(kFilterDelayMs);
    connect(&m_filterDelay, &QTimer::timeout, this, &MessagesPage::applyFilterNow);
    connect(m_ui->agentCombo, &QComboBox::currentIndexChanged, this, &MessagesPage::applyFilterNow);
    connect(m_ui->typeCombo, &QComboBox::currentIndexChanged, this, &MessagesPage::applyFilterNow);
    connect(m_ui->threadEdit, &QLineEdit::textChanged, this, &MessagesPage::scheduleFilter);
    connect(m_ui->textEdit, &QLineEdit::textChanged, this, &MessagesPage::scheduleFilter);
    connect(m_ui->followButton, &QToolButton::toggled, this, &MessagesPage::setFollowing);
    connect(m_ui->messageTable, &QTableView::customContextMenuRequested, this, &MessagesPage::showContextMenu);
    connect(m_ui->messageTable->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        // At the top of a log that no longer reaches the present: page toward it.
        if (m_model && value == 0 && m_model->canFetchNewer())
            m_model->fetchNewer();
    });
    populateChoices();
    updateDetail();
}

MessagesPage::~MessagesPage() = default;

QTableView *MessagesPage::table() const
{
    return m_ui->messageTable;
}

void MessagesPage::setSession(Session *session)
{
    if (m_ui->messageTable->model())
        m_header = m_ui->messageTable->horizontalHeader()->saveState(); // widths survive a change of session
    m_ui->messageTable->setModel(nullptr);
    m_scope = std::make_unique<QObject>();
    m_session = session;
    m_model = nullptr;
    if (session) {
        m_model = new MessageLogModel(session, m_scope.get());
        m_model->setFilter(filter());
        m_model->setFollowing(m_ui->followButton->isChecked());
        m_ui->messageTable->setModel(m_model);
        layOutColumns(m_ui->messageTable, m_header, {70, 150, 75, 120, 120, 140});
        connect(m_ui->messageTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                &MessagesPage::updateDetail);
        connect(m_model, &MessageLogModel::pendingCountChanged, this, &MessagesPage::updateFollowButton);
        connect(m_model, &MessageLogModel::followingChanged, this, &MessagesPage::updateFollowButton);
        connect(m_model, &MessageLogModel::totalMatchingChanged, this, &MessagesPage::updateFooter);
        connect(m_model, &MessageLogModel::loadingChanged, this, &MessagesPage::updateFooter);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, &MessagesPage::updateFooter);
        connect(m_model, &QAbstractItemModel::modelReset, this, &MessagesPage::updateFooter);
        connect(m_model, &QAbstractItemModel::modelReset, this, &MessagesPage::updateDetail);
        connect(session, &Session::agentsReset, this, &MessagesPage::populateChoices);
        connect(session, &Session::capabilitiesChanged, this, &MessagesPage::populateChoices);
    }
    populateChoices();
    updateFollowButton();
    updateFooter();
    updateDetail();
}

void MessagesPage::populateChoices()
{
    const QString agent = m_ui->agentCombo->currentData().toString();
    const QString type = m_ui->typeCombo->currentData().toString();
    const QSignalBlocker agentBlocker(m_ui->agentCombo);
    const QSignalBlocker typeBlocker(m_ui->typeCombo);
    m_ui->agentCombo->clear();
    m_ui->agentCombo->addItem(tr("Any agent"), QString());
    m_ui->typeCombo->clear();
    m_ui->typeCombo->addItem(tr("Any type"), QString());
    QStringList types;
    if (m_session) {
        for (const AgentInfo &info : m_session->agents())
            m_ui->agentCombo->addItem(info.name, info.name);
        for (const Capability &capability : m_session->capabilities()) {
            const QString name = capability.payloadType.isEmpty() ? capability.rootTag : capability.payloadType;
            if (!name.isEmpty() && !types.contains(name))
                types << name;
        }
    }
    types << u"BudgetWarning"_s; // the organism's own payload, sent to agents near their budget
    types.sort();
    for (const QString &name : std::as_const(types))
        m_ui->typeCombo->addItem(name, name);
    // A filter set before the list knew its value stays in force.
    if (!agent.isEmpty() && m_ui->agentCombo->findData(agent) < 0)
        m_ui->agentCombo->addItem(agent, agent);
    if (!type.isEmpty() && m_ui->typeCombo->findData(type) < 0)
        m_ui->typeCombo->addItem(type, type);
    m_ui->agentCombo->setCurrentIndex(std::max(0, m_ui->agentCombo->findData(agent)));
    m_ui->typeCombo->setCurrentIndex(std::max(0, m_ui->typeCombo->findData(type)));
}

void MessagesPage::setAgentFilter(const QString &agent)
{
    if (!agent.isEmpty() && m_ui->agentCombo->findData(agent) < 0)
        m_ui->agentCombo->addItem(agent, agent);
    m_ui->agentCombo->setCurrentIndex(std::max(0, m_ui->agentCombo->findData(agent)));
}

void MessagesPage::setThreadFilter(const QString &threadId)
{
    m_ui->threadEdit->setText(threadId);
    applyFilterNow();
}

void MessagesPage::setTypeFilter(const QString &payloadType)
{
    if (!payloadType.isEmpty() && m_ui->typeCombo->findData(payloadType) < 0)
        m_ui->typeCombo->addItem(payloadType, payloadType);
    m_ui->typeCombo->setCurrentIndex(std::max(0, m_ui->typeCombo->findData(payloadType)));
}

void MessagesPage::setTextFilter(const QString &text)
{
    m_ui->textEdit->setText(text);
    applyFilterNow();
}

MessageFilter MessagesPage::filter() const
{
    MessageFilter filter;
    filter.agent = m_ui->agentCombo->currentData().toString();
    filter.threadId = m_ui->threadEdit->text().trimmed();
    filter.payloadType = m_ui->typeCombo->currentData().toString();
    filter.text = m_ui->textEdit->text();
    return filter;
}

void MessagesPage::scheduleFilter()
{
    m_filterDelay.start();
}

void MessagesPage::applyFilterNow()
{
    m_filterDelay.stop();
    if (m_model && !(m_model->filter() == filter()))
        m_model->setFilter(filter());
    updateFooter();
}

bool MessagesPage::isFollowing() const
{
    return m_model ? m_model->isFollowing() : m_ui->followButton->isChecked();
}

void MessagesPage::setFollowing(bool following)
{
    if (m_model && m_model->isFollowing() != following) {
        m_model->setFollowing(following);
        if (following)
            m_ui->messageTable->scrollToTop();
    }
    updateFollowButton();
}

void MessagesPage::updateFollowButton()
{
    const bool following = isFollowing();
    const QSignalBlocker blocker(m_ui->followButton);
    m_ui->followButton->setChecked(following);
    const int pending = m_model ? m_model->pendingCount() : 0;
    if (following)
        m_ui->followButton->setText(tr("&Following"));
    else if (pending > 0)
        m_ui->followButton->setText(tr("&Follow (%n new)", nullptr, pending));
    else
        m_ui->followButton->setText(tr("&Follow"));
}

void MessagesPage::updateFooter()
{
    if (!m_model) {
        m_ui->footerLabel->setText(tr("Not connected"));
        return;
    }
    if (m_model->isLoading()) {
        m_ui->footerLabel->setText(tr("Loading…"));
        return;
    }
    const qint64 total = m_model->totalMatching();
    const QString matching = filter().isEmpty()
        ? tr("%n message(s) in the history", nullptr, int(std::min<qint64>(total, INT_MAX)))
        : tr("%n matching message(s)", nullptr, int(std::min<qint64>(total, INT_MAX)));
    m_ui->footerLabel->setText(tr("%1; %2 loaded").arg(matching).arg(m_model->rowCount()));
}

void MessagesPage::updateDetail()
{
    m_ui->fieldsTree->clear();
    const QModelIndex current = m_ui->messageTable->currentIndex();
    if (!current.isValid() || !m_model) {
        m_ui->xmlText->setPlainText(QString());
        m_ui->detailTabs->setEnabled(false);
        return;
    }
    m_ui->detailTabs->setEnabled(true);
    m_ui->xmlText->setPlainText(xmltext::indented(current.data(MessageLogModel::XmlRole).toString().toUtf8()));
    const std::optional<xmltext::Element> root = xmltext::elementTree(
        current.data(MessageLogModel::XmlRole).toString().toUtf8());
    fillFields(m_ui->fieldsTree->invisibleRootItem(), current.data(MessageLogModel::FieldsRole),
               root ? &*root : nullptr);
    m_ui->fieldsTree->expandAll();
    m_ui->fieldsTree->resizeColumnToContents(0);
}

// The fields in the payload's own order (its XML's), not the map's alphabetical one.
void MessagesPage::fillFields(QTreeWidgetItem *parent, const QVariant &value, const xmltext::Element *element)
{
    if (value.typeId() == QMetaType::QVariantMap) {
        const QVariantMap map = value.toMap();
        for (const QString &key : xmltext::orderedKeys(map, element)) {
            auto *item = new QTreeWidgetItem(parent, {key, xmltext::scalarText(map.value(key))});
            fillFields(item, map.value(key), xmltext::childFor(element, key));
        }
    } else if (value.typeId() == QMetaType::QVariantList) {
        const QVariantList list = value.toList();
        for (qsizetype i = 0; i < list.size(); ++i) {
            auto *item = new QTreeWidgetItem(parent, {u"[%1]"_s.arg(i), xmltext::scalarText(list.at(i))});
            fillFields(item, list.at(i), element);
        }
    }
}

QString MessagesPage::detailXml() const
{
    return m_ui->xmlText->toPlainText();
}

QStringList MessagesPage::detailFields() const
{
    QStringList lines;
    std::function<void(QTreeWidgetItem *, const QString &)> walk = [&](QTreeWidgetItem *item, const QString &path) {
        for (int i = 0; i < item->childCount(); ++i) {
            QTreeWidgetItem *child = item->child(i);
            const QString childPath = path.isEmpty() ? child->text(0) : path + u'.' + child->text(0);
            if (child->childCount() == 0)
                lines << childPath + u" = "_s + child->text(1);
            walk(child, childPath);
        }
    };
    walk(m_ui->fieldsTree->invisibleRootItem(), QString());
    return lines;
}

void MessagesPage::focusSearch()
{
    m_ui->textEdit->setFocus(Qt::ShortcutFocusReason);
    m_ui->textEdit->selectAll();
}

void MessagesPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_ui->messageTable->indexAt(position);
    if (!index.isValid())
        return;
    m_ui->messageTable->selectRow(index.row());
    const QString xml = index.data(MessageLogModel::XmlRole).toString();
    const QString threadId = index.data(MessageLogModel::ThreadIdRole).toString();
    const QString id = index.data(MessageLogModel::MessageIdRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Copy &XML"), this, [xml] { QGuiApplication::clipboard()->setText(xml); });
    menu.addAction(tr("Copy message &id"), this, [id] { QGuiApplication::clipboard()->setText(id); });
    menu.addSeparator();
    menu.addAction(tr("Show &thread"), this, [this, threadId] { emit showThreadRequested(threadId); });
    menu.addAction(tr("Only this thread"), this, [this, threadId] { setThreadFilter(threadId); });
    menu.exec(m_ui->messageTable->viewport()->mapToGlobal(position));
}

void MessagesPage::saveState(QSettings &settings) const
{
    settings.setValue(u"messages/header"_s,
                      m_ui->messageTable->model() ? m_ui->messageTable->horizontalHeader()->saveState() : m_header);
    settings.setValue(u"messages/splitter"_s, m_ui->splitter->saveState());
}

void MessagesPage::restoreState(const QSettings &settings)
{
    // Applied once the table has a model: a header without its columns cannot take the state.
    m_header = settings.value(u"messages/header"_s).toByteArray();
    if (m_ui->messageTable->model())
        layOutColumns(m_ui->messageTable, m_header, {});
    m_ui->splitter->restoreState(settings.value(u"messages/splitter"_s).toByteArray());
}

} // namespace agentdesk
