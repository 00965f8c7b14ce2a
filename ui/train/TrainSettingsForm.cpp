#include "train/TrainSettingsForm.h"

#include "model/GraphModel.h"
#include "train/AugmentPreview.h"
#include "train/TrainingCommands.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUndoStack>
#include <QVBoxLayout>

#include <cmath>

namespace nc::ui {

namespace {
QDoubleSpinBox* doubleSpin(double lo, double hi, double step, int decimals, QWidget* parent) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    s->setKeyboardTracking(false); // one edit per finished number, not one per keystroke
    return s;
}
QSpinBox* intSpin(int lo, int hi, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setKeyboardTracking(false);
    return s;
}
bool usesMomentum(nc::OptimizerKind k) {
    return k == nc::OptimizerKind::SGD || k == nc::OptimizerKind::Nesterov || k == nc::OptimizerKind::RMSprop;
}
bool isAdam(nc::OptimizerKind k) {
    return k == nc::OptimizerKind::Adam || k == nc::OptimizerKind::AdamW;
}
} // namespace

TrainSettingsForm::TrainSettingsForm(GraphModel* model, QUndoStack* stack, QWidget* parent)
    : QWidget(parent), m_model(model), m_stack(stack) {
    setObjectName(QStringLiteral("trainSettings"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto group = [&](const QString& title) {
        auto* box = new QGroupBox(title, this);
        auto* form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        layout->addWidget(box);
        return form;
    };
    auto named = [](QWidget* w, const char* name, const QString& label) {
        w->setObjectName(QString::fromLatin1(name));
        w->setAccessibleName(label);
        return w;
    };

    QFormLayout* opt = group(tr("Optimizer"));
    m_optimizer = new QComboBox(this);
    m_optimizer->addItem(tr("SGD"), int(nc::OptimizerKind::SGD));
    m_optimizer->addItem(tr("SGD with Nesterov momentum"), int(nc::OptimizerKind::Nesterov));
    m_optimizer->addItem(tr("Adam"), int(nc::OptimizerKind::Adam));
    m_optimizer->addItem(tr("AdamW"), int(nc::OptimizerKind::AdamW));
    m_optimizer->addItem(tr("RMSprop"), int(nc::OptimizerKind::RMSprop));
    opt->addRow(tr("Optimizer"), named(m_optimizer, "trainOptimizer", tr("Optimizer")));
    m_learningRate = new QLineEdit(this);
    auto* lrValidator = new QDoubleValidator(1e-9, 1e9, 12, m_learningRate);
    lrValidator->setNotation(QDoubleValidator::ScientificNotation);
    lrValidator->setLocale(QLocale::c());
    m_learningRate->setValidator(lrValidator);
    m_learningRate->setToolTip(tr("Step size of the optimizer, e.g. 0.001 or 1e-3"));
    opt->addRow(tr("Learning rate"), named(m_learningRate, "trainLearningRate", tr("Learning rate")));
    m_momentum = doubleSpin(0, 0.999, 0.05, 3, this);
    opt->addRow(tr("Momentum"), named(m_momentum, "trainMomentum", tr("Momentum")));
    m_beta1 = doubleSpin(0, 0.9999, 0.01, 4, this);
    opt->addRow(tr("Beta 1"), named(m_beta1, "trainBeta1", tr("Beta 1")));
    m_beta2 = doubleSpin(0, 0.99999, 0.001, 5, this);
    opt->addRow(tr("Beta 2"), named(m_beta2, "trainBeta2", tr("Beta 2")));
    m_weightDecay = doubleSpin(0, 1, 0.0001, 6, this);
    opt->addRow(tr("Weight decay"), named(m_weightDecay, "trainWeightDecay", tr("Weight decay")));
    m_gradClip = doubleSpin(0, 1000, 0.5, 2, this);
    m_gradClip->setSpecialValueText(tr("Off"));
    opt->addRow(tr("Gradient clipping"),
                named(m_gradClip, "trainGradClip", tr("Gradient clipping (max norm)")));

    QFormLayout* sched = group(tr("Learning-rate schedule"));
    m_schedule = new QComboBox(this);
    m_schedule->addItem(tr("Constant"), int(nc::ScheduleKind::None));
    m_schedule->addItem(tr("Step decay"), int(nc::ScheduleKind::Step));
    m_schedule->addItem(tr("Cosine"), int(nc::ScheduleKind::Cosine));
    m_schedule->addItem(tr("One-cycle"), int(nc::ScheduleKind::OneCycle));
    sched->addRow(tr("Schedule"), named(m_schedule, "trainSchedule", tr("Learning-rate schedule")));
    m_stepSize = intSpin(1, 10000, this);
    m_stepSize->setSuffix(tr(" epochs"));
    sched->addRow(tr("Decay every"), named(m_stepSize, "trainStepSize", tr("Decay every")));
    m_gamma = doubleSpin(0.001, 1, 0.05, 3, this);
    sched->addRow(tr("Decay factor"), named(m_gamma, "trainGamma", tr("Decay factor")));

    QFormLayout* data = group(tr("Data"));
    m_epochs = intSpin(1, 100000, this);
    data->addRow(tr("Epochs"), named(m_epochs, "trainEpochs", tr("Epochs")));
    m_batchSize = intSpin(1, 65536, this);
    data->addRow(tr("Batch size"), named(m_batchSize, "trainBatchSize", tr("Batch size")));
    m_validation = doubleSpin(0, 0.9, 0.05, 2, this);
    m_validation->setSpecialValueText(tr("None"));
    data->addRow(tr("Validation fraction"),
                 named(m_validation, "trainValidation", tr("Validation fraction")));
    m_labelSmoothing = doubleSpin(-0.05, 0.5, 0.05, 2, this);
    m_labelSmoothing->setSpecialValueText(tr("From Output layer"));
    data->addRow(tr("Label smoothing"),
                 named(m_labelSmoothing, "trainLabelSmoothing", tr("Label smoothing")));
    m_patience = intSpin(0, 10000, this);
    m_patience->setSpecialValueText(tr("Off"));
    m_patience->setSuffix(tr(" epochs"));
    m_patience->setToolTip(tr("Stop when validation accuracy has not improved for this many epochs"));
    data->addRow(tr("Early stopping"), named(m_patience, "trainPatience", tr("Early stopping patience")));

    // Augmentation: the ranges each random transform draws from, and what they do to real images.
    QFormLayout* augment = group(tr("Augmentation"));
    m_flip = new QCheckBox(tr("Random horizontal flip"), this);
    augment->addRow(named(m_flip, "trainFlip", tr("Random horizontal flip")));
    m_verticalFlip = new QCheckBox(tr("Random vertical flip"), this);
    m_verticalFlip->setToolTip(
        tr("Upside down half of the time: only for images without an up (e.g. from above)"));
    augment->addRow(named(m_verticalFlip, "trainVerticalFlip", tr("Random vertical flip")));
    m_padCrop = intSpin(0, 16, this);
    m_padCrop->setSpecialValueText(tr("Off"));
    m_padCrop->setSuffix(tr(" px"));
    m_padCrop->setToolTip(tr("Pad each image by this many pixels and crop it back at a random position"));
    augment->addRow(tr("Random crop"), named(m_padCrop, "trainPadCrop", tr("Random crop padding")));
    // Ranges are shown in degrees and percent; the project stores fractions (docs/FORMATS.md).
    auto range = [&](double hi, double step, const QString& prefix, const QString& suffix, const char* name,
                     const QString& label, const QString& tip) {
        QDoubleSpinBox* s = doubleSpin(0, hi, step, 1, this);
        s->setSpecialValueText(tr("Off"));
        s->setPrefix(prefix);
        s->setSuffix(suffix);
        s->setToolTip(tip);
        augment->addRow(label, named(s, name, label));
        return s;
    };
    const QString plusMinus = QStringLiteral("±");
    m_rotation = range(180, 5, plusMinus, QStringLiteral("°"), "trainRotation", tr("Rotation"),
                       tr("Rotate each image by a random angle up to this many degrees either way"));
    m_widthShift = range(100, 5, plusMinus, tr(" % of width"), "trainWidthShift", tr("Horizontal shift"),
                         tr("Move each image left or right by up to this share of its width"));
    m_heightShift = range(100, 5, plusMinus, tr(" % of height"), "trainHeightShift", tr("Vertical shift"),
                          tr("Move each image up or down by up to this share of its height"));
    m_zoom = range(90, 5, plusMinus, tr(" %"), "trainZoom", tr("Zoom"),
                   tr("Enlarge or shrink each image about its centre by up to this much"));
    m_brightness = range(100, 5, plusMinus, tr(" %"), "trainBrightness", tr("Brightness"),
                         tr("Lighten or darken each image by up to this share of full white"));
    m_contrast = range(100, 5, plusMinus, tr(" %"), "trainContrast", tr("Contrast"),
                       tr("Strengthen or weaken each image's contrast (around its mean) by up to this much"));
    m_erase =
        range(100, 5, QString(), tr(" % of images"), "trainErase", tr("Random erasing"),
              tr("Fill a random rectangle (2–25 % of the image) with noise in this share of the images"));
    m_cleanEpochs = intSpin(0, 100000, this);
    m_cleanEpochs->setSpecialValueText(tr("None"));
    m_cleanEpochs->setSuffix(tr(" epochs"));
    m_cleanEpochs->setToolTip(
        tr("Train the last epochs on the images as they are, without augmentation, so the network refits undistorted images"));
    augment->addRow(tr("Clean epochs at the end"),
                    named(m_cleanEpochs, "trainCleanEpochs", tr("Clean epochs at the end")));
    m_preview = new AugmentPreview(this);
    augment->addRow(m_preview);
    auto* shuffle = new QPushButton(tr("Shuffle"), this);
    shuffle->setToolTip(tr("Show other random draws of the same settings"));
    augment->addRow(named(shuffle, "augmentShuffle", tr("Shuffle the preview")));
    connect(shuffle, &QPushButton::clicked, m_preview, &AugmentPreview::shuffle);

    // Knowledge distillation: a trained model (.ncmodel) whose softened outputs the network learns.
    QFormLayout* distill = group(tr("Distillation"));
    auto* teacherRow = new QWidget(this);
    auto* teacherLayout = new QHBoxLayout(teacherRow);
    teacherLayout->setContentsMargins(0, 0, 0, 0);
    m_teacher = new QLineEdit(teacherRow);
    m_teacher->setPlaceholderText(tr("None: learn from the labels only"));
    m_teacher->setToolTip(tr("A trained model with the same input and classes; the network learns its softened outputs"));
    teacherLayout->addWidget(named(m_teacher, "trainTeacher", tr("Teacher model")), 1);
    auto* chooseTeacher = new QPushButton(tr("Choose…"), teacherRow);
    teacherLayout->addWidget(named(chooseTeacher, "trainChooseTeacher", tr("Choose the teacher model")));
    distill->addRow(tr("Teacher"), teacherRow);
    m_temperature = doubleSpin(0.05, 100, 0.5, 2, this);
    m_temperature->setToolTip(tr("Softens the teacher's and the network's outputs before they are compared"));
    distill->addRow(tr("Temperature"), named(m_temperature, "trainTemperature", tr("Distillation temperature")));
    m_alpha = doubleSpin(0, 100, 5, 0, this);
    m_alpha->setSuffix(tr(" %"));
    m_alpha->setToolTip(tr("The teacher's share of the loss; the rest comes from the labels"));
    distill->addRow(tr("Teacher's share"), named(m_alpha, "trainTeacherShare", tr("Teacher's share of the loss")));

    QFormLayout* run = group(tr("Run"));
    m_device = new QComboBox(this);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (int i = 0; i < nc::cudaDeviceCount(); ++i)
        m_device->addItem(tr("GPU %1 (CUDA)").arg(i), QStringLiteral("cuda:%1").arg(i));
    run->addRow(tr("Device"), named(m_device, "trainDevice", tr("Device")));
    m_precision = new QComboBox(this);
    m_precision->addItem(tr("Automatic (bfloat16 where the CPU runs it natively)"), int(nc::Precision::Auto));
    m_precision->addItem(tr("32-bit float"), int(nc::Precision::FP32));
    m_precision->addItem(tr("bfloat16 (mixed)"), int(nc::Precision::BF16));
    run->addRow(tr("Precision"), named(m_precision, "trainPrecision", tr("Precision")));
    m_threads = intSpin(0, 1024, this);
    m_threads->setSpecialValueText(tr("All cores"));
    run->addRow(tr("CPU threads"), named(m_threads, "trainThreads", tr("CPU threads")));
    m_seed = intSpin(0, std::numeric_limits<int>::max(), this);
    run->addRow(tr("Random seed"), named(m_seed, "trainSeed", tr("Random seed")));
    layout->addStretch(1);

    using C = nc::TrainConfig;
    connect(m_optimizer, &QComboBox::activated, this, [this] {
        const auto k = nc::OptimizerKind(m_optimizer->currentData().toInt());
        edit(QStringLiteral("optimizer"), tr("optimizer"), [k](C& c) { c.optimizer = k; });
    });
    connect(m_learningRate, &QLineEdit::editingFinished, this, [this] {
        bool ok = false;
        const double lr = QLocale::c().toDouble(m_learningRate->text(), &ok);
        if (ok && lr > 0 && std::isfinite(lr))
            edit(QStringLiteral("lr"), tr("learning rate"), [lr](C& c) { c.learningRate = lr; });
        else
            refresh();
    });
    auto onDouble = [this](QDoubleSpinBox* s, const char* field, const QString& label, double C::*member) {
        connect(s, &QDoubleSpinBox::valueChanged, this, [this, field, label, member](double v) {
            edit(QString::fromLatin1(field), label, [member, v](C& c) { c.*member = v; });
        });
    };
    auto onInt = [this](QSpinBox* s, const char* field, const QString& label, int C::*member) {
        connect(s, &QSpinBox::valueChanged, this, [this, field, label, member](int v) {
            edit(QString::fromLatin1(field), label, [member, v](C& c) { c.*member = v; });
        });
    };
    onDouble(m_momentum, "momentum", tr("momentum"), &C::momentum);
    onDouble(m_beta1, "beta1", tr("beta 1"), &C::beta1);
    onDouble(m_beta2, "beta2", tr("beta 2"), &C::beta2);
    onDouble(m_weightDecay, "weightDecay", tr("weight decay"), &C::weightDecay);
    onDouble(m_gradClip, "gradClip", tr("gradient clipping"), &C::gradClipNorm);
    onDouble(m_gamma, "gamma", tr("decay factor"), &C::gamma);
    onDouble(m_validation, "validation", tr("validation fraction"), &C::validationFraction);
    onInt(m_stepSize, "stepSize", tr("decay interval"), &C::stepSize);
    onInt(m_epochs, "epochs", tr("epochs"), &C::epochs);
    onInt(m_batchSize, "batch", tr("batch size"), &C::batchSize);
    onInt(m_patience, "patience", tr("early stopping"), &C::earlyStoppingPatience);
    onInt(m_threads, "threads", tr("CPU threads"), &C::threads);
    onInt(m_cleanEpochs, "cleanEpochs", tr("clean epochs"), &C::augmentCleanEpochs);
    connect(m_labelSmoothing, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const double value = v < 0 ? -1.0 : v; // the special value: take the Output layer's setting
        edit(QStringLiteral("smoothing"), tr("label smoothing"), [value](C& c) { c.labelSmoothing = value; });
    });
    connect(m_seed, &QSpinBox::valueChanged, this, [this](int v) {
        edit(QStringLiteral("seed"), tr("random seed"), [v](C& c) { c.seed = std::uint64_t(v); });
    });
    connect(m_schedule, &QComboBox::activated, this, [this] {
        const auto k = nc::ScheduleKind(m_schedule->currentData().toInt());
        edit(QStringLiteral("schedule"), tr("schedule"), [k](C& c) { c.schedule = k; });
    });
    connect(m_flip, &QCheckBox::toggled, this, [this](bool on) {
        edit(QStringLiteral("flip"), tr("augmentation"), [on](C& c) { c.augmentation.horizontalFlip = on; });
    });
    connect(m_padCrop, &QSpinBox::valueChanged, this, [this](int v) {
        edit(QStringLiteral("padCrop"), tr("augmentation"), [v](C& c) { c.augmentation.padCrop = v; });
    });
    connect(m_verticalFlip, &QCheckBox::toggled, this, [this](bool on) {
        edit(QStringLiteral("verticalFlip"), tr("augmentation"),
             [on](C& c) { c.augmentation.verticalFlip = on; });
    });
    // Each spin box edits one Augmentation member; percent boxes store a fraction.
    auto onAugment = [this](QDoubleSpinBox* s, const char* field, double scale,
                            double Augmentation::*member) {
        connect(s, &QDoubleSpinBox::valueChanged, this, [this, field, scale, member](double v) {
            edit(QString::fromLatin1(field), tr("augmentation"),
                 [=](C& c) { c.augmentation.*member = v / scale; });
        });
    };
    onAugment(m_rotation, "rotation", 1, &Augmentation::rotationDegrees);
    onAugment(m_widthShift, "widthShift", 100, &Augmentation::widthShift);
    onAugment(m_heightShift, "heightShift", 100, &Augmentation::heightShift);
    onAugment(m_zoom, "zoom", 100, &Augmentation::zoom);
    onAugment(m_brightness, "brightness", 100, &Augmentation::brightness);
    onAugment(m_contrast, "contrast", 100, &Augmentation::contrast);
    onAugment(m_erase, "erase", 100, &Augmentation::eraseProbability);
    connect(m_device, &QComboBox::activated, this, [this] {
        const std::string d = m_device->currentData().toString().toStdString();
        edit(QStringLiteral("device"), tr("device"), [d](C& c) { c.device = d; });
    });
    connect(m_precision, &QComboBox::activated, this, [this] {
        const auto p = nc::Precision(m_precision->currentData().toInt());
        edit(QStringLiteral("precision"), tr("precision"), [p](C& c) { c.precision = p; });
    });

    connect(m_teacher, &QLineEdit::editingFinished, this, [this] {
        const std::string path = m_teacher->text().trimmed().toStdString();
        edit(QStringLiteral("teacher"), tr("teacher"), [path](C& c) { c.teacher = path; });
    });
    connect(chooseTeacher, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Teacher model"), m_teacher->text(),
                                                          tr("NeuralCanvas models (*.ncmodel)"));
        if (path.isEmpty())
            return;
        const std::string p = path.toStdString();
        edit(QStringLiteral("teacher"), tr("teacher"), [p](C& c) { c.teacher = p; });
    });
    onDouble(m_temperature, "temperature", tr("distillation temperature"), &C::distillTemperature);
    connect(m_alpha, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        edit(QStringLiteral("alpha"), tr("teacher's share"), [v](C& c) { c.distillAlpha = v / 100.0; });
    });

    connect(m_model, &GraphModel::trainingChanged, this, &TrainSettingsForm::refresh);
    connect(m_model, &GraphModel::modelReset, this, &TrainSettingsForm::refresh);
    refresh();
}

void TrainSettingsForm::edit(const QString& field, const QString& label,
                             const std::function<void(nc::TrainConfig&)>& change) {
    if (m_refreshing)
        return;
    const nc::TrainConfig before = m_model->project().training;
    nc::TrainConfig after = before;
    change(after);
    if (after.toJson() == before.toJson())
        return;
    m_stack->push(new SetTrainingCommand(m_model, field, tr("Change %1").arg(label), before, after));
}

void TrainSettingsForm::refresh() {
    m_refreshing = true;
    const QSignalBlocker b0(m_optimizer), b1(m_momentum), b2(m_beta1), b3(m_beta2), b4(m_weightDecay),
        b5(m_gradClip), b6(m_schedule), b7(m_stepSize), b8(m_gamma), b9(m_epochs), b10(m_batchSize),
        b11(m_validation), b12(m_flip), b13(m_padCrop), b14(m_labelSmoothing), b15(m_patience), b16(m_device),
        b17(m_precision), b18(m_threads), b19(m_seed), b20(m_verticalFlip), b21(m_rotation),
        b22(m_widthShift), b23(m_heightShift), b24(m_zoom), b25(m_brightness), b26(m_contrast), b27(m_erase),
        b28(m_teacher), b29(m_temperature), b30(m_alpha), b31(m_cleanEpochs);
    const nc::TrainConfig& c = m_model->project().training;
    m_optimizer->setCurrentIndex(m_optimizer->findData(int(c.optimizer)));
    m_learningRate->setText(QLocale::c().toString(c.learningRate, 'g', 8));
    m_momentum->setValue(c.momentum);
    m_beta1->setValue(c.beta1);
    m_beta2->setValue(c.beta2);
    m_weightDecay->setValue(c.weightDecay);
    m_gradClip->setValue(c.gradClipNorm);
    m_schedule->setCurrentIndex(m_schedule->findData(int(c.schedule)));
    m_stepSize->setValue(c.stepSize);
    m_gamma->setValue(c.gamma);
    m_epochs->setValue(c.epochs);
    m_batchSize->setValue(c.batchSize);
    m_validation->setValue(c.validationFraction);
    m_flip->setChecked(c.augmentation.horizontalFlip);
    m_padCrop->setValue(c.augmentation.padCrop);
    const Augmentation& a = c.augmentation;
    m_verticalFlip->setChecked(a.verticalFlip);
    m_rotation->setValue(a.rotationDegrees);
    m_widthShift->setValue(a.widthShift * 100);
    m_heightShift->setValue(a.heightShift * 100);
    m_zoom->setValue(a.zoom * 100);
    m_brightness->setValue(a.brightness * 100);
    m_contrast->setValue(a.contrast * 100);
    m_erase->setValue(a.eraseProbability * 100);
    m_cleanEpochs->setValue(c.augmentCleanEpochs);
    m_preview->setAugmentation(a);
    m_labelSmoothing->setValue(c.labelSmoothing < 0 ? m_labelSmoothing->minimum() : c.labelSmoothing);
    m_patience->setValue(c.earlyStoppingPatience);
    int device = m_device->findData(QString::fromStdString(c.device));
    if (device < 0 && c.device == "cuda")
        device = m_device->findData(QStringLiteral("cuda:0"));
    if (device < 0) { // a project from a machine with a GPU, opened on one without
        m_device->addItem(tr("%1 (not available here)").arg(QString::fromStdString(c.device)),
                          QString::fromStdString(c.device));
        device = m_device->count() - 1;
    }
    m_device->setCurrentIndex(device);
    m_precision->setCurrentIndex(m_precision->findData(int(c.precision)));
    m_teacher->setText(QString::fromStdString(c.teacher));
    m_temperature->setValue(c.distillTemperature);
    m_alpha->setValue(c.distillAlpha * 100);
    m_threads->setValue(c.threads);
    m_seed->setValue(int(std::min<std::uint64_t>(c.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    m_refreshing = false;
    updateEnabled();
}

void TrainSettingsForm::updateEnabled() {
    const nc::TrainConfig& c = m_model->project().training;
    m_momentum->setEnabled(usesMomentum(c.optimizer));
    m_beta1->setEnabled(isAdam(c.optimizer));
    m_beta2->setEnabled(isAdam(c.optimizer));
    m_stepSize->setEnabled(c.schedule == nc::ScheduleKind::Step);
    m_gamma->setEnabled(c.schedule == nc::ScheduleKind::Step);
    m_temperature->setEnabled(!c.teacher.empty());
    m_alpha->setEnabled(!c.teacher.empty());
    m_cleanEpochs->setEnabled(c.augmentation.enabled());
}

} // namespace nc::ui
