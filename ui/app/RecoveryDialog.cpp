#include "app/RecoveryDialog.h"

#include "app/Autosave.h"
#include "style/Theme.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
constexpr int kEntriesInView = 3;

QString whenText(const QDateTime& when) {
    const QLocale locale;
    const QString time = locale.toString(when.time(), QLocale::ShortFormat);
    const QDate today = QDate::currentDate();
    if (when.date() == today)
        return RecoveryDialog::tr("Autosaved today at %1").arg(time);
    if (when.date() == today.addDays(-1))
        return RecoveryDialog::tr("Autosaved yesterday at %1").arg(time);
    return RecoveryDialog::tr("Autosaved %1").arg(locale.toString(when, QLocale::ShortFormat));
}
} // namespace

RecoveryDialog::RecoveryDialog(std::vector<std::shared_ptr<RecoveredProject>> projects, QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("recoveryDialog"));
    setWindowTitle(tr("Recover Unsaved Work"));
    setAttribute(Qt::WA_DeleteOnClose); // undecided projects release their locks and wait for the next start

    auto* icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(40, 40));
    icon->setAlignment(Qt::AlignTop);
    auto* intro = new QLabel(tr("<b>NeuralCanvas did not close properly last time.</b><br>"
                                "It kept the changes that were not saved. Restore them to continue "
                                "where you left off, or discard them."),
                             this);
    intro->setWordWrap(true);
    auto* header = new QHBoxLayout;
    header->addWidget(icon);
    header->addWidget(intro, 1);

    auto* list = new QWidget;
    auto* listLayout = new QVBoxLayout(list);
    listLayout->setContentsMargins(0, 0, 0, 0);
    m_entries.resize(projects.size());
    for (std::size_t i = 0; i < projects.size(); ++i) {
        m_entries[i].project = std::move(projects[i]);
        listLayout->addWidget(makeRow(m_entries[i], int(i)));
    }
    listLayout->addStretch(1); // rows keep their height; room left over goes below them
    // A few entries show as they are; more scroll, with the first three in view.
    QWidget* entries = list;
    if (count() > kEntriesInView) {
        auto* scroll = new QScrollArea(this);
        scroll->setWidget(list);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setMinimumHeight(kEntriesInView *
                                 (listLayout->itemAt(0)->sizeHint().height() + listLayout->spacing()));
        entries = scroll;
    }

    auto* buttons = new QDialogButtonBox(this);
    m_restoreAll = buttons->addButton(tr("&Restore All"), QDialogButtonBox::AcceptRole);
    m_restoreAll->setObjectName(QStringLiteral("restoreAllButton"));
    m_discardAll = buttons->addButton(tr("&Discard All"), QDialogButtonBox::DestructiveRole);
    m_discardAll->setObjectName(QStringLiteral("discardAllButton"));
    QPushButton* later = buttons->addButton(tr("Decide &Later"), QDialogButtonBox::RejectRole);
    later->setObjectName(QStringLiteral("laterButton"));
    later->setToolTip(tr("Keep the unsaved changes and ask again at the next start"));
    m_restoreAll->setVisible(count() > 1);
    m_discardAll->setVisible(count() > 1);
    m_restoreAll->setDefault(false);
    m_restoreAll->setAutoDefault(false);
    connect(m_restoreAll, &QPushButton::clicked, this, &RecoveryDialog::restoreAll);
    connect(m_discardAll, &QPushButton::clicked, this, &RecoveryDialog::discardAll);
    connect(later, &QPushButton::clicked, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(entries, 1);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

RecoveryDialog::~RecoveryDialog() = default;

QWidget* RecoveryDialog::makeRow(Entry& entry, int index) {
    const RecoveredProject& p = *entry.project;
    auto* row = new QFrame;
    row->setObjectName(QStringLiteral("recoveryEntry%1").arg(index));
    row->setFrameShape(QFrame::StyledPanel);
    const QColor dim = palette().color(QPalette::PlaceholderText);

    auto* name = new QLabel(QStringLiteral("<b>%1</b>").arg(p.displayName.toHtmlEscaped()));
    name->setTextFormat(Qt::RichText);
    auto* where = new QLabel(p.originalPath.isEmpty() ? tr("Never saved to a file")
                                                      : QDir::toNativeSeparators(p.originalPath));
    if (!p.isReadable() && p.originalPath.isEmpty())
        where->hide(); // nothing could be read: where it was saved is unknown
    where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    where->setToolTip(where->text());
    auto* when = new QLabel(whenText(p.savedAt));
    for (QLabel* l : {where, when}) {
        QPalette pal = l->palette();
        pal.setColor(QPalette::WindowText, dim);
        l->setPalette(pal);
    }
    auto* what = new QLabel(p.isReadable() ? p.changes : tr("The autosave cannot be read: %1").arg(p.error));
    what->setObjectName(QStringLiteral("changes"));
    what->setWordWrap(true);
    if (!p.isReadable()) {
        QPalette pal = what->palette();
        const QColor error = Theme::instance().canvas().error;
        pal.setColor(QPalette::WindowText, error.isValid() ? error : QColor(0xc0, 0x39, 0x2b));
        what->setPalette(pal);
    }
    for (QLabel* l : {where, when, what})
        l->setTextFormat(Qt::PlainText); // paths and parser messages are not markup
    auto* text = new QVBoxLayout;
    text->setSpacing(2);
    for (QLabel* l : {name, where, when, what})
        text->addWidget(l);
    text->addStretch(1);

    entry.restore = new QPushButton(tr("Restore"));
    entry.restore->setObjectName(QStringLiteral("restoreButton"));
    entry.restore->setEnabled(p.isReadable());
    entry.restore->setToolTip(p.isReadable() ? tr("Open it as an unsaved project") : tr("It cannot be read"));
    entry.discard = new QPushButton(tr("Discard"));
    entry.discard->setObjectName(QStringLiteral("discardButton"));
    entry.discard->setToolTip(tr("Delete these unsaved changes"));
    entry.restore->setAutoDefault(false);
    entry.discard->setAutoDefault(false);
    entry.state = new QLabel;
    entry.state->setObjectName(QStringLiteral("state"));
    entry.state->hide();
    connect(entry.restore, &QPushButton::clicked, this, [this, index] { restore(index); });
    connect(entry.discard, &QPushButton::clicked, this, [this, index] { discard(index); });
    auto* actions = new QVBoxLayout;
    actions->addWidget(entry.restore);
    actions->addWidget(entry.discard);
    actions->addWidget(entry.state);
    actions->addStretch(1);

    auto* layout = new QHBoxLayout(row);
    layout->addLayout(text, 1);
    layout->addLayout(actions);
    row->setAccessibleName(p.displayName);
    QStringList description{when->text(), what->text()};
    if (!where->isHidden())
        description.prepend(where->text());
    row->setAccessibleDescription(description.join(QStringLiteral(". ")));
    entry.row = row;
    return row;
}

const RecoveredProject* RecoveryDialog::project(int index) const {
    return index >= 0 && index < count() ? m_entries[std::size_t(index)].project.get() : nullptr;
}

QString RecoveryDialog::entryText(int index) const {
    if (index < 0 || index >= count() || !m_entries[std::size_t(index)].row)
        return {};
    QStringList lines;
    for (const QLabel* l : m_entries[std::size_t(index)].row->findChildren<QLabel*>())
        if (!l->isHidden() && !l->text().isEmpty())
            lines << l->text();
    return lines.join(QLatin1Char('\n'));
}

QPushButton* RecoveryDialog::restoreButton(int index) const {
    return index >= 0 && index < count() ? m_entries[std::size_t(index)].restore : nullptr;
}

QPushButton* RecoveryDialog::discardButton(int index) const {
    return index >= 0 && index < count() ? m_entries[std::size_t(index)].discard : nullptr;
}

void RecoveryDialog::restore(int index) {
    if (index < 0 || index >= count())
        return;
    Entry& e = m_entries[std::size_t(index)];
    if (!e.project || !e.project->isReadable())
        return;
    bool restored = false;
    Q_EMIT restoreRequested(e.project, &restored);
    if (!restored)
        return;
    e.project.reset();
    decided(index, tr("Restored"));
}

void RecoveryDialog::discard(int index) {
    if (index < 0 || index >= count())
        return;
    Entry& e = m_entries[std::size_t(index)];
    if (!e.project)
        return;
    e.project->discard();
    e.project.reset();
    decided(index, tr("Discarded"));
}

void RecoveryDialog::restoreAll() {
    for (int i = 0; i < count(); ++i)
        restore(i);
}

void RecoveryDialog::discardAll() {
    for (int i = 0; i < count(); ++i)
        discard(i);
}

void RecoveryDialog::decided(int index, const QString& how) {
    Entry& e = m_entries[std::size_t(index)];
    e.restore->hide();
    e.discard->hide();
    for (QLabel* label : e.row->findChildren<QLabel*>())
        label->setEnabled(label == e.state); // done with: greyed
    e.state->setText(how);
    e.state->show();
    closeIfDone();
}

void RecoveryDialog::closeIfDone() {
    bool readableLeft = false, anyLeft = false;
    for (const Entry& e : m_entries) {
        anyLeft = anyLeft || e.project;
        readableLeft = readableLeft || (e.project && e.project->isReadable());
    }
    m_restoreAll->setEnabled(readableLeft);
    m_discardAll->setEnabled(anyLeft);
    if (!anyLeft)
        accept();
}

} // namespace nc::ui
