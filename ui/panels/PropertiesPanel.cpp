#include "panels/PropertiesPanel.h"

#include "style/Format.h"
#include "document/TemplateText.h"
#include "editor/GraphScene.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

// Completed parameters (defaults filled in); the raw ones when they do not validate.
nc::Json fullParams(const nc::Node& n) {
    const nc::LayerSpec* spec = nc::LayerRegistry::instance().find(n.type);
    nc::Json out;
    if (spec && nc::LayerRegistry::instance().normalizeParams(*spec, n.params, out).empty())
        return out;
    nc::Json merged = nc::Json::object();
    if (spec)
        for (const nc::ParamSpec& p : spec->params)
            merged[p.name] = p.defaultValue;
    if (n.params.is_object())
        for (auto it = n.params.begin(); it != n.params.end(); ++it)
            merged[it.key()] = it.value();
    return merged;
}
} // namespace

PropertiesPanel::PropertiesPanel(GraphScene* scene, QWidget* parent) : QWidget(parent), m_scene(scene) {
    setObjectName(QStringLiteral("properties"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* inner = new QWidget(scroll);
    m_layout = new QVBoxLayout(inner);
    m_layout->setContentsMargins(8, 8, 8, 8);
    m_layout->addStretch();
    scroll->setWidget(inner);
    outer->addWidget(scroll);

    GraphModel* model = scene->model();
    connect(scene, &QGraphicsScene::selectionChanged, this, &PropertiesPanel::rebuild);
    connect(model, &GraphModel::modelReset, this, &PropertiesPanel::rebuild);
    connect(model, &GraphModel::nodeRemoved, this, [this](const QString& id) {
        if (id == m_nodeId)
            rebuild();
    });
    connect(model, &GraphModel::nodeParamsChanged, this, [this](const QString& id) {
        if (id == m_nodeId)
            refreshValues();
    });
    connect(model, &GraphModel::datasetChanged, this, [this] {
        if (m_nodeId.isEmpty())
            rebuild();
    });
    connect(model, &GraphModel::analysisChanged, this, &PropertiesPanel::refreshInfo);
    rebuild();
}

void PropertiesPanel::clearForm() {
    m_editors.clear();
    m_info = nullptr;
    delete m_form;
    m_form = nullptr;
}

void PropertiesPanel::rebuild() {
    const QStringList selected = m_scene->selectedNodeIds();
    clearForm();
    m_nodeId = selected.size() == 1 ? selected.first() : QString();
    m_form = new QWidget(this);
    m_layout->insertWidget(0, m_form);
    if (!m_nodeId.isEmpty()) {
        buildNodeForm(m_nodeId);
    } else if (selected.size() > 1) {
        auto* l = new QVBoxLayout(m_form);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(new QLabel(tr("%n layer(s) selected", "", int(selected.size())), m_form));
    } else {
        buildProjectForm();
    }
    refreshInfo();
}

void PropertiesPanel::buildNodeForm(const QString& id) {
    const nc::Node* node = m_scene->model()->node(id);
    const nc::LayerSpec* spec = node ? nc::LayerRegistry::instance().find(node->type) : nullptr;
    auto* form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* title = new QLabel(QStringLiteral("<b>%1</b> — %2").arg(id.toHtmlEscaped(), qs(node ? node->type : "")), m_form);
    title->setObjectName(QStringLiteral("propertiesTitle"));
    form->addRow(title);
    if (spec) {
        auto* summary = new QLabel(qs(spec->summary), m_form);
        summary->setWordWrap(true);
        summary->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(summary);
    }
    if (!spec || !node)
        return;
    GraphEditor* editor = m_scene->editor();
    for (const nc::ParamSpec& p : spec->params) {
        const QString name = qs(p.name);
        QWidget* w = nullptr;
        switch (p.kind) {
        case nc::ParamKind::Int:
        case nc::ParamKind::IntOrSame: {
            auto* spin = new QSpinBox(m_form);
            const bool orSame = p.kind == nc::ParamKind::IntOrSame;
            // For "int or same", one step below the minimum reads "same".
            spin->setRange(int(p.minValue) - (orSame ? 1 : 0), int(std::min(p.maxValue, 2147483647.0)));
            if (orSame)
                spin->setSpecialValueText(QStringLiteral("same"));
            spin->setKeyboardTracking(false); // one undo step per committed value, not per digit
            connect(spin, &QSpinBox::valueChanged, this, [this, editor, name, orSame, spin](int v) {
                const nc::Json value = (orSame && v == spin->minimum()) ? nc::Json("same") : nc::Json(v);
                editor->setParam(m_nodeId, name, value);
            });
            w = spin;
            break;
        }
        case nc::ParamKind::Float: {
            auto* spin = new QDoubleSpinBox(m_form);
            spin->setDecimals(p.minValue > 0 && p.minValue < 1e-3 ? 8 : 4);
            spin->setRange(p.minValue, p.maxValue);
            spin->setSingleStep(p.maxValue <= 1 ? 0.05 : 0.1);
            spin->setKeyboardTracking(false);
            connect(spin, &QDoubleSpinBox::valueChanged, this,
                    [this, editor, name](double v) { editor->setParam(m_nodeId, name, nc::Json(v)); });
            w = spin;
            break;
        }
        case nc::ParamKind::Bool: {
            auto* box = new QCheckBox(m_form);
            connect(box, &QCheckBox::toggled, this,
                    [this, editor, name](bool on) { editor->setParam(m_nodeId, name, nc::Json(on)); });
            w = box;
            break;
        }
        case nc::ParamKind::Choice: {
            auto* combo = new QComboBox(m_form);
            for (const std::string& c : p.choices)
                combo->addItem(qs(c));
            connect(combo, &QComboBox::textActivated, this,
                    [this, editor, name](const QString& t) { editor->setParam(m_nodeId, name, nc::Json(t.toStdString())); });
            w = combo;
            break;
        }
        }
        w->setObjectName(QStringLiteral("param_") + name);
        w->setAccessibleName(name);
        w->setToolTip(qs(p.help));
        m_editors.insert(name, w);
        form->addRow(name, w);
    }
    m_info = new QLabel(m_form);
    m_info->setObjectName(QStringLiteral("nodeInfo"));
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_info);
    refreshValues();
}

void PropertiesPanel::buildProjectForm() {
    GraphModel* model = m_scene->model();
    auto* form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Project")), m_form);
    form->addRow(title);
    auto* name = new QLineEdit(qs(model->project().name), m_form);
    name->setObjectName(QStringLiteral("projectName"));
    name->setAccessibleName(tr("Project name"));
    name->setPlaceholderText(tr("(untitled)"));
    GraphEditor* editor = m_scene->editor();
    connect(name, &QLineEdit::editingFinished, this, [editor, name] {
        const QString text = name->text().trimmed();
        if (!text.isEmpty())
            editor->setProjectName(text);
        else
            name->setText(QString::fromStdString(editor->model()->project().name)); // a name cannot be empty
    });
    connect(model, &GraphModel::nameChanged, name, [model, name] {
        const QSignalBlocker quiet(name);
        name->setText(QString::fromStdString(model->project().name));
    });
    form->addRow(tr("Name"), name);
    m_dataset = new QComboBox(m_form);
    m_dataset->setObjectName(QStringLiteral("datasetBox"));
    m_dataset->setAccessibleName(tr("Dataset"));
    m_dataset->setEditable(true);
    m_dataset->setInsertPolicy(QComboBox::NoInsert);
    m_dataset->addItems({QStringLiteral("fashion-mnist"), QStringLiteral("shapes")});
    m_dataset->setToolTip(tr("fashion-mnist, shapes[:N], folder:DIR (a sub-folder of images per class), "
                             "csv:FILE (image paths and labels), idx:DIR (MNIST-style files) or cifar10:DIR"));
    m_dataset->setCurrentText(model->datasetSpec());
    connect(m_dataset, &QComboBox::textActivated, this, [editor](const QString& spec) {
        if (!spec.trimmed().isEmpty())
            editor->setDataset(spec.trimmed());
    });
    form->addRow(tr("Dataset"), m_dataset);
    auto* browse = new QPushButton(tr("Choose folder…"), m_form);
    browse->setAccessibleName(tr("Choose dataset folder"));
    connect(browse, &QPushButton::clicked, this, [this, editor] {
        const QString dir = QFileDialog::getExistingDirectory(
            this, tr("Dataset folder (one sub-folder of images per class, IDX or CIFAR-10 files)"));
        if (dir.isEmpty())
            return;
        const QDir d(dir);
        if (QFileInfo::exists(d.filePath(QStringLiteral("data_batch_1.bin"))))
            editor->setDataset(QStringLiteral("cifar10:") + dir);
        else if (!d.entryList({QStringLiteral("*-idx3-ubyte"), QStringLiteral("*-idx3-ubyte.gz")}, QDir::Files).isEmpty())
            editor->setDataset(QStringLiteral("idx:") + dir);
        else // a folder of the user's own images: the import view shows what it holds first
            Q_EMIT importRequested(QStringLiteral("folder:") + dir);
    });
    auto* csv = new QPushButton(tr("Choose CSV…"), m_form);
    csv->setAccessibleName(tr("Choose a CSV of image paths and labels"));
    connect(csv, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CSV of image paths and labels"), QString(),
                                                          tr("CSV files (*.csv)"));
        if (!file.isEmpty())
            Q_EMIT importRequested(QStringLiteral("csv:") + file);
    });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(browse);
    buttons->addWidget(csv);
    buttons->addStretch(1);
    form->addRow(QString(), buttons);
    m_info = new QLabel(m_form);
    m_info->setObjectName(QStringLiteral("datasetInfo"));
    m_info->setWordWrap(true);
    form->addRow(m_info);
    // A template's own description reads in the interface language; the user's text as written.
    const QString description = describeTemplate(model->project().description);
    if (!description.isEmpty()) {
        auto* d = new QLabel(description.toHtmlEscaped(), m_form);
        d->setWordWrap(true);
        d->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(d);
    }
}

void PropertiesPanel::refreshValues() {
    const nc::Node* node = m_scene->model()->node(m_nodeId);
    if (!node)
        return;
    const nc::Json p = fullParams(*node);
    for (auto it = m_editors.cbegin(); it != m_editors.cend(); ++it) {
        const std::string name = it.key().toStdString();
        if (!p.contains(name))
            continue;
        const nc::Json& v = p[name];
        QWidget* w = *it;
        const QSignalBlocker block(w);
        if (auto* spin = qobject_cast<QSpinBox*>(w))
            spin->setValue(v.is_string() ? spin->minimum() : v.is_number() ? int(v.get<double>()) : spin->value());
        else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(w))
            dspin->setValue(v.is_number() ? v.get<double>() : dspin->value());
        else if (auto* box = qobject_cast<QCheckBox*>(w))
            box->setChecked(v.is_boolean() && v.get<bool>());
        else if (auto* combo = qobject_cast<QComboBox*>(w))
            combo->setCurrentText(v.is_string() ? qs(v.get<std::string>()) : QString());
    }
}

void PropertiesPanel::refreshInfo() {
    if (!m_info)
        return;
    GraphModel* model = m_scene->model();
    if (m_nodeId.isEmpty()) {
        if (!model->datasetError().isEmpty()) {
            m_info->setText(QStringLiteral("<span style='color:#d93025'>%1</span>").arg(model->datasetError().toHtmlEscaped()));
            return;
        }
        const nc::DatasetInfo& d = model->datasetInfo();
        QStringList names;
        for (const std::string& c : d.classNames)
            names << qs(c);
        m_info->setText(tr("Input %1×%2×%3, %n class(es): %4", "", int(names.size()))
                            .arg(d.channels)
                            .arg(d.height)
                            .arg(d.width)
                            .arg(names.join(QStringLiteral(", ")).toHtmlEscaped()));
        return;
    }
    const nc::NodeInfo* info = model->info(m_nodeId);
    if (!info)
        return;
    if (!info->error.empty()) {
        m_info->setText(QStringLiteral("<span style='color:#d93025'>%1</span>").arg(qs(info->error).toHtmlEscaped()));
        return;
    }
    if (!info->ok) {
        m_info->setText(tr("No shape yet."));
        return;
    }
    m_info->setText(tr("Output %1<br>%2 parameters<br>%3 per image")
                        .arg(qs(nc::shapeToString(info->outputShape)), formatCount(info->parameters),
                             formatFlops(info->flops)));
}

} // namespace nc::ui
