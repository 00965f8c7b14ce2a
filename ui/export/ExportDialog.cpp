#include "export/ExportDialog.h"

#include "engine/EngineController.h"
#include "io/Export.h"
#include "io/ExportVerify.h"
#include "nn/Generative.h"
#include "nn/Model.h"
#include "util/Files.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace nc::ui {

namespace {
// What comes back from the engine thread: plain values only.
struct Outcome {
    bool ok = false;
    bool verified = false;
    double maxDifference = 0;
    double tolerance = 1e-4;
    bool sameClass = false;
    QString runtime, message;
    bool removed = false; // the check failed, so the exported file was deleted
    QString decoder;      // a generative model: what was exported (its decoder or generator)
};

QString extensionFor(ExportFormat f) { return QString::fromLatin1(exportFileSuffix(f)); }

QWidget* withButton(QLineEdit* edit, QPushButton* button) {
    auto* w = new QWidget;
    auto* row = new QHBoxLayout(w);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(edit, 1);
    row->addWidget(button);
    return w;
}
} // namespace

ExportDialog::ExportDialog(EngineController* engine, QWidget* parent)
    : QDialog(parent), m_engine(engine), m_model(new QLineEdit(this)), m_format(new QComboBox(this)),
      m_output(new QLineEdit(this)), m_verify(new QCheckBox(tr("Verify after export"), this)),
      m_result(new QLabel(this)), m_export(new QPushButton(tr("Export"), this)) {
    setWindowTitle(tr("Export Model"));
    setObjectName(QStringLiteral("exportDialog"));
    m_model->setObjectName(QStringLiteral("exportModelPath"));
    m_model->setAccessibleName(tr("Trained model file"));
    m_model->setPlaceholderText(tr("A trained model (.ncmodel), e.g. a run's best.ncmodel"));
    m_output->setObjectName(QStringLiteral("exportOutputPath"));
    m_output->setAccessibleName(tr("Export file"));
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->setAccessibleName(tr("Format"));
    for (ExportFormat f : availableExportFormats()) {
        const QString label = f == ExportFormat::TorchScript ? tr("TorchScript (.pt) — torch.jit.load, LibTorch")
                              : f == ExportFormat::Onnx      ? tr("ONNX opset 13 (.onnx) — onnxruntime, OpenCV, TensorRT")
                              : f == ExportFormat::Tflite    ? tr("TFLite (.tflite) — Android, LiteRT, ArmNN")
                                                             : tr("PyTorch code (.py) — readable nn.Module + weight loader");
        m_format->addItem(label, QString::fromLatin1(exportFormatName(f)));
    }
    m_verify->setChecked(true);
    m_verify->setToolTip(tr("Runs the exported file in an independent runtime (Python torch or OpenCV) on random "
                            "images and reports the largest difference from NeuralCanvas' own output"));
    m_result->setObjectName(QStringLiteral("exportResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_export->setObjectName(QStringLiteral("exportButton"));
    m_export->setDefault(true);

    auto* browseModelButton = new QPushButton(tr("Browse…"), this);
    auto* browseOutputButton = new QPushButton(tr("Browse…"), this);
    auto* form = new QFormLayout;
    form->addRow(tr("Model:"), withButton(m_model, browseModelButton));
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Save as:"), withButton(m_output, browseOutputButton));
    form->addRow(QString(), m_verify);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_export, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());

    connect(browseModelButton, &QPushButton::clicked, this, &ExportDialog::browseModel);
    connect(browseOutputButton, &QPushButton::clicked, this, &ExportDialog::browseOutput);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] { changeOutputExtension(); });
    connect(m_model, &QLineEdit::textEdited, this, [this] { m_modelChosen = true; });
    connect(m_model, &QLineEdit::editingFinished, this, [this] {
        if (m_modelChosen)
            suggestOutputPath();
    });
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void ExportDialog::setModelPath(const QString& path) {
    m_modelChosen = true;
    m_model->setText(path);
    suggestOutputPath();
}

void ExportDialog::offerModel(const QString& path) {
    if (m_modelChosen || path.isEmpty() || m_busy)
        return;
    m_model->setText(path);
    suggestOutputPath();
}

void ExportDialog::setStartFolder(const QString& folder) { m_startFolder = folder; }
QString ExportDialog::modelPath() const { return m_model->text(); }
QString ExportDialog::outputPath() const { return m_output->text(); }

void ExportDialog::setFormat(const QString& formatName) {
    const int i = m_format->findData(formatName);
    if (i >= 0)
        m_format->setCurrentIndex(i);
}

void ExportDialog::setOutputPath(const QString& path) { m_output->setText(path); }
void ExportDialog::setVerify(bool verify) { m_verify->setChecked(verify); }
QString ExportDialog::resultText() const { return m_result->text(); }

void ExportDialog::browseModel() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Trained Model"),
                                                      m_model->text().isEmpty() ? m_startFolder : m_model->text(),
                                                      tr("NeuralCanvas models (*.ncmodel)"));
    if (!path.isEmpty())
        setModelPath(path);
}

void ExportDialog::browseOutput() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export As"),
                                                      m_output->text().isEmpty() ? m_startFolder : m_output->text());
    if (!path.isEmpty())
        m_output->setText(path);
}

void ExportDialog::suggestOutputPath() {
    ExportFormat f;
    if (m_model->text().isEmpty() || !parseExportFormat(m_format->currentData().toString().toStdString(), f))
        return;
    const QFileInfo info(m_model->text());
    m_output->setText(info.dir().filePath(info.completeBaseName().replace(QLatin1Char('-'), QLatin1Char('_')) + extensionFor(f)));
}

void ExportDialog::changeOutputExtension() {
    ExportFormat f;
    if (!parseExportFormat(m_format->currentData().toString().toStdString(), f))
        return;
    if (m_output->text().isEmpty()) {
        suggestOutputPath();
        return;
    }
    const QFileInfo info(m_output->text());
    m_output->setText(info.dir().filePath(info.completeBaseName() + extensionFor(f)));
}

void ExportDialog::setBusy(bool busy) {
    m_busy = busy;
    m_export->setEnabled(!busy);
    m_format->setEnabled(!busy);
    if (busy)
        m_result->setText(m_verify->isChecked() ? tr("Exporting and checking…") : tr("Exporting…"));
}

void ExportDialog::startExport() {
    if (m_busy)
        return;
    ExportFormat format;
    parseExportFormat(m_format->currentData().toString().toStdString(), format);
    const std::string model = m_model->text().toStdString(), output = m_output->text().toStdString();
    if (model.empty() || output.empty()) {
        m_result->setText(tr("Choose a model file and where to save the export."));
        return;
    }
    const bool verify = m_verify->isChecked();
    setBusy(true);
    m_engine->run<Outcome>(
        [=] {
            Outcome o;
            const Model m = Model::load(model);
            exportModel(m, format, output);
            o.ok = true;
            if (isGenerative(m))
                o.decoder = generatesFromNoise(m) ? tr("its generator") : tr("its decoder");
            if (verify) {
                const ExportCheck c = verifyExport(m, format, output);
                o.verified = c.ran;
                o.maxDifference = c.maxAbsDifference;
                o.sameClass = c.sameClass;
                o.runtime = QString::fromStdString(c.runtime);
                o.message = QString::fromStdString(c.message);
                // A verified export is kept only when it passed (as `export --verify` does).
                o.removed = !c.passed();
                o.tolerance = c.tolerance;
                if (o.removed)
                    removeFile(output);
            }
            return o;
        },
        this,
        [this, verify, output](Outcome o) {
            setBusy(false);
            QString text = o.removed ? tr("The export to %1 did not pass its check, so it was not kept.")
                                           .arg(QString::fromStdString(output))
                                     : o.decoder.isEmpty()
                                           ? tr("Exported to %1.").arg(QString::fromStdString(output))
                                           : tr("Exported %1 (a latent in, pixels in [0, 1] out) to %2.")
                                                 .arg(o.decoder, QString::fromStdString(output));
            bool ok = true;
            if (verify && o.verified) {
                ok = o.maxDifference <= o.tolerance && o.sameClass;
                text += QLatin1Char(' ') + (o.decoder.isEmpty() ? tr("Checked in %1 on 8 random images: largest difference %2%3.")
                                                                : tr("Checked in %1 on 8 random latents: largest difference %2%3."))
                                               .arg(o.runtime, QString::number(o.maxDifference, 'g', 3),
                                                    o.sameClass ? QString() : tr(", and the top class differs"));
            } else if (verify) {
                ok = false;
                text += QLatin1Char(' ') + tr("The check could not run: %1").arg(o.message);
            }
            m_result->setText(text);
            Q_EMIT exportFinished(ok, text);
        },
        [this](QString message) {
            setBusy(false);
            m_result->setText(tr("Export failed: %1").arg(message));
            Q_EMIT exportFinished(false, message);
        });
}

} // namespace nc::ui
