# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QCommandLinkButton,
    QDialog, QFormLayout, QFrame, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPushButton, QRadioButton, QScrollArea,
    QSizePolicy, QSpacerItem, QStackedWidget, QVBoxLayout,
    QWidget)

from ociconsole.gui.widgets import CodeView

class Ui_FirstRunDialog(object):
    def setupUi(self, FirstRunDialog):
        if not FirstRunDialog.objectName():
            FirstRunDialog.setObjectName(u"FirstRunDialog")
        FirstRunDialog.resize(680, 560)
        FirstRunDialog.setMinimumSize(QSize(680, 560))
        self.outerLayout = QVBoxLayout(FirstRunDialog)
        self.outerLayout.setObjectName(u"outerLayout")
        self.outerLayout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(FirstRunDialog)
        self.pages.setObjectName(u"pages")
        self.welcomePage = QWidget()
        self.welcomePage.setObjectName(u"welcomePage")
        self.welcomeLayout = QVBoxLayout(self.welcomePage)
        self.welcomeLayout.setSpacing(10)
        self.welcomeLayout.setObjectName(u"welcomeLayout")
        self.welcomeLayout.setContentsMargins(28, 24, 28, 18)
        self.welcomeHeading = QLabel(self.welcomePage)
        self.welcomeHeading.setObjectName(u"welcomeHeading")
        self.welcomeHeading.setWordWrap(True)

        self.welcomeLayout.addWidget(self.welcomeHeading)

        self.welcomeText = QLabel(self.welcomePage)
        self.welcomeText.setObjectName(u"welcomeText")
        self.welcomeText.setWordWrap(True)

        self.welcomeLayout.addWidget(self.welcomeText)

        self.demoButton = QCommandLinkButton(self.welcomePage)
        self.demoButton.setObjectName(u"demoButton")
        self.demoButton.setAutoDefault(False)

        self.welcomeLayout.addWidget(self.demoButton)

        self.existingButton = QCommandLinkButton(self.welcomePage)
        self.existingButton.setObjectName(u"existingButton")
        self.existingButton.setAutoDefault(False)

        self.welcomeLayout.addWidget(self.existingButton)

        self.createButton = QCommandLinkButton(self.welcomePage)
        self.createButton.setObjectName(u"createButton")
        self.createButton.setAutoDefault(False)

        self.welcomeLayout.addWidget(self.createButton)

        self.welcomeSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.welcomeLayout.addItem(self.welcomeSpacer)

        self.envHelp = QLabel(self.welcomePage)
        self.envHelp.setObjectName(u"envHelp")
        self.envHelp.setWordWrap(True)

        self.welcomeLayout.addWidget(self.envHelp)

        self.welcomeLine = QFrame(self.welcomePage)
        self.welcomeLine.setObjectName(u"welcomeLine")
        self.welcomeLine.setFrameShape(QFrame.Shape.HLine)
        self.welcomeLine.setFrameShadow(QFrame.Shadow.Sunken)

        self.welcomeLayout.addWidget(self.welcomeLine)

        self.welcomeButtons = QHBoxLayout()
        self.welcomeButtons.setObjectName(u"welcomeButtons")
        self.welcomeButtonsSpacer = QSpacerItem(10, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.welcomeButtons.addItem(self.welcomeButtonsSpacer)

        self.welcomeCancelButton = QPushButton(self.welcomePage)
        self.welcomeCancelButton.setObjectName(u"welcomeCancelButton")
        self.welcomeCancelButton.setAutoDefault(False)

        self.welcomeButtons.addWidget(self.welcomeCancelButton)


        self.welcomeLayout.addLayout(self.welcomeButtons)

        self.pages.addWidget(self.welcomePage)
        self.profilesPage = QWidget()
        self.profilesPage.setObjectName(u"profilesPage")
        self.profilesLayout = QVBoxLayout(self.profilesPage)
        self.profilesLayout.setSpacing(12)
        self.profilesLayout.setObjectName(u"profilesLayout")
        self.profilesLayout.setContentsMargins(28, 24, 28, 18)
        self.profilesHeading = QLabel(self.profilesPage)
        self.profilesHeading.setObjectName(u"profilesHeading")
        self.profilesHeading.setWordWrap(True)

        self.profilesLayout.addWidget(self.profilesHeading)

        self.profilesPathRow = QHBoxLayout()
        self.profilesPathRow.setObjectName(u"profilesPathRow")
        self.profilesPathLabel = QLabel(self.profilesPage)
        self.profilesPathLabel.setObjectName(u"profilesPathLabel")
        self.profilesPathLabel.setWordWrap(True)

        self.profilesPathRow.addWidget(self.profilesPathLabel)

        self.otherFileButton = QPushButton(self.profilesPage)
        self.otherFileButton.setObjectName(u"otherFileButton")
        self.otherFileButton.setAutoDefault(False)

        self.profilesPathRow.addWidget(self.otherFileButton)

        self.profilesPathRow.setStretch(0, 1)

        self.profilesLayout.addLayout(self.profilesPathRow)

        self.profilesError = QLabel(self.profilesPage)
        self.profilesError.setObjectName(u"profilesError")
        self.profilesError.setWordWrap(True)

        self.profilesLayout.addWidget(self.profilesError)

        self.profileList = QListWidget(self.profilesPage)
        self.profileList.setObjectName(u"profileList")

        self.profilesLayout.addWidget(self.profileList)

        self.profileProblem = QLabel(self.profilesPage)
        self.profileProblem.setObjectName(u"profileProblem")
        self.profileProblem.setWordWrap(True)

        self.profilesLayout.addWidget(self.profileProblem)

        self.profilesSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.profilesLayout.addItem(self.profilesSpacer)

        self.profilesLine = QFrame(self.profilesPage)
        self.profilesLine.setObjectName(u"profilesLine")
        self.profilesLine.setFrameShape(QFrame.Shape.HLine)
        self.profilesLine.setFrameShadow(QFrame.Shadow.Sunken)

        self.profilesLayout.addWidget(self.profilesLine)

        self.profilesButtons = QHBoxLayout()
        self.profilesButtons.setObjectName(u"profilesButtons")
        self.profilesBackButton = QPushButton(self.profilesPage)
        self.profilesBackButton.setObjectName(u"profilesBackButton")
        self.profilesBackButton.setAutoDefault(False)

        self.profilesButtons.addWidget(self.profilesBackButton)

        self.profilesButtonsSpacer = QSpacerItem(10, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.profilesButtons.addItem(self.profilesButtonsSpacer)

        self.profilesCancelButton = QPushButton(self.profilesPage)
        self.profilesCancelButton.setObjectName(u"profilesCancelButton")
        self.profilesCancelButton.setAutoDefault(False)

        self.profilesButtons.addWidget(self.profilesCancelButton)

        self.useButton = QPushButton(self.profilesPage)
        self.useButton.setObjectName(u"useButton")

        self.profilesButtons.addWidget(self.useButton)


        self.profilesLayout.addLayout(self.profilesButtons)

        self.profilesLayout.setStretch(3, 1)
        self.pages.addWidget(self.profilesPage)
        self.createPage = QWidget()
        self.createPage.setObjectName(u"createPage")
        self.createLayout = QVBoxLayout(self.createPage)
        self.createLayout.setSpacing(0)
        self.createLayout.setObjectName(u"createLayout")
        self.createLayout.setContentsMargins(0, 0, 0, 0)
        self.createScroll = QScrollArea(self.createPage)
        self.createScroll.setObjectName(u"createScroll")
        self.createScroll.setWidgetResizable(True)
        self.createScroll.setFrameShape(QFrame.NoFrame)
        self.createBody = QWidget()
        self.createBody.setObjectName(u"createBody")
        self.createBodyLayout = QVBoxLayout(self.createBody)
        self.createBodyLayout.setSpacing(12)
        self.createBodyLayout.setObjectName(u"createBodyLayout")
        self.createBodyLayout.setContentsMargins(28, 24, 28, 12)
        self.createHeading = QLabel(self.createBody)
        self.createHeading.setObjectName(u"createHeading")
        self.createHeading.setWordWrap(True)

        self.createBodyLayout.addWidget(self.createHeading)

        self.createIntro = QLabel(self.createBody)
        self.createIntro.setObjectName(u"createIntro")
        self.createIntro.setWordWrap(True)

        self.createBodyLayout.addWidget(self.createIntro)

        self.accountBox = QGroupBox(self.createBody)
        self.accountBox.setObjectName(u"accountBox")
        self.accountForm = QFormLayout(self.accountBox)
        self.accountForm.setObjectName(u"accountForm")
        self.accountForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.userEditLabel = QLabel(self.accountBox)
        self.userEditLabel.setObjectName(u"userEditLabel")

        self.accountForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.userEditLabel)

        self.userEditBox = QWidget(self.accountBox)
        self.userEditBox.setObjectName(u"userEditBox")
        self.userEditBoxLayout = QVBoxLayout(self.userEditBox)
        self.userEditBoxLayout.setSpacing(3)
        self.userEditBoxLayout.setObjectName(u"userEditBoxLayout")
        self.userEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.userEdit = QLineEdit(self.userEditBox)
        self.userEdit.setObjectName(u"userEdit")

        self.userEditBoxLayout.addWidget(self.userEdit)

        self.userError = QLabel(self.userEditBox)
        self.userError.setObjectName(u"userError")
        self.userError.setWordWrap(True)

        self.userEditBoxLayout.addWidget(self.userError)


        self.accountForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.userEditBox)

        self.tenancyEditLabel = QLabel(self.accountBox)
        self.tenancyEditLabel.setObjectName(u"tenancyEditLabel")

        self.accountForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.tenancyEditLabel)

        self.tenancyEditBox = QWidget(self.accountBox)
        self.tenancyEditBox.setObjectName(u"tenancyEditBox")
        self.tenancyEditBoxLayout = QVBoxLayout(self.tenancyEditBox)
        self.tenancyEditBoxLayout.setSpacing(3)
        self.tenancyEditBoxLayout.setObjectName(u"tenancyEditBoxLayout")
        self.tenancyEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.tenancyEdit = QLineEdit(self.tenancyEditBox)
        self.tenancyEdit.setObjectName(u"tenancyEdit")

        self.tenancyEditBoxLayout.addWidget(self.tenancyEdit)

        self.tenancyError = QLabel(self.tenancyEditBox)
        self.tenancyError.setObjectName(u"tenancyError")
        self.tenancyError.setWordWrap(True)

        self.tenancyEditBoxLayout.addWidget(self.tenancyError)


        self.accountForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.tenancyEditBox)

        self.regionLabel = QLabel(self.accountBox)
        self.regionLabel.setObjectName(u"regionLabel")

        self.accountForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.regionLabel)

        self.regionCombo = QComboBox(self.accountBox)
        self.regionCombo.setObjectName(u"regionCombo")
        self.regionCombo.setMaxVisibleItems(15)

        self.accountForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.regionCombo)


        self.createBodyLayout.addWidget(self.accountBox)

        self.keyBox = QGroupBox(self.createBody)
        self.keyBox.setObjectName(u"keyBox")
        self.keyLayout = QVBoxLayout(self.keyBox)
        self.keyLayout.setSpacing(8)
        self.keyLayout.setObjectName(u"keyLayout")
        self.generateRadio = QRadioButton(self.keyBox)
        self.generateRadio.setObjectName(u"generateRadio")
        self.generateRadio.setChecked(True)

        self.keyLayout.addWidget(self.generateRadio)

        self.generatePanel = QWidget(self.keyBox)
        self.generatePanel.setObjectName(u"generatePanel")
        self.generateForm = QFormLayout(self.generatePanel)
        self.generateForm.setObjectName(u"generateForm")
        self.generateForm.setContentsMargins(24, 0, 0, 0)
        self.newPassphraseLabel = QLabel(self.generatePanel)
        self.newPassphraseLabel.setObjectName(u"newPassphraseLabel")

        self.generateForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.newPassphraseLabel)

        self.newPassphraseEdit = QLineEdit(self.generatePanel)
        self.newPassphraseEdit.setObjectName(u"newPassphraseEdit")
        self.newPassphraseEdit.setEchoMode(QLineEdit.Password)

        self.generateForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.newPassphraseEdit)

        self.confirmPassphraseEditLabel = QLabel(self.generatePanel)
        self.confirmPassphraseEditLabel.setObjectName(u"confirmPassphraseEditLabel")

        self.generateForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.confirmPassphraseEditLabel)

        self.confirmPassphraseEditBox = QWidget(self.generatePanel)
        self.confirmPassphraseEditBox.setObjectName(u"confirmPassphraseEditBox")
        self.confirmPassphraseEditBoxLayout = QVBoxLayout(self.confirmPassphraseEditBox)
        self.confirmPassphraseEditBoxLayout.setSpacing(3)
        self.confirmPassphraseEditBoxLayout.setObjectName(u"confirmPassphraseEditBoxLayout")
        self.confirmPassphraseEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.confirmPassphraseEdit = QLineEdit(self.confirmPassphraseEditBox)
        self.confirmPassphraseEdit.setObjectName(u"confirmPassphraseEdit")
        self.confirmPassphraseEdit.setEchoMode(QLineEdit.Password)

        self.confirmPassphraseEditBoxLayout.addWidget(self.confirmPassphraseEdit)

        self.confirmError = QLabel(self.confirmPassphraseEditBox)
        self.confirmError.setObjectName(u"confirmError")
        self.confirmError.setWordWrap(True)

        self.confirmPassphraseEditBoxLayout.addWidget(self.confirmError)


        self.generateForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.confirmPassphraseEditBox)

        self.generateRow = QHBoxLayout()
        self.generateRow.setObjectName(u"generateRow")
        self.generateButton = QPushButton(self.generatePanel)
        self.generateButton.setObjectName(u"generateButton")
        self.generateButton.setAutoDefault(False)

        self.generateRow.addWidget(self.generateButton)

        self.generateNote = QLabel(self.generatePanel)
        self.generateNote.setObjectName(u"generateNote")
        self.generateNote.setWordWrap(True)

        self.generateRow.addWidget(self.generateNote)

        self.generateRow.setStretch(1, 1)

        self.generateForm.setLayout(2, QFormLayout.ItemRole.SpanningRole, self.generateRow)


        self.keyLayout.addWidget(self.generatePanel)

        self.existingRadio = QRadioButton(self.keyBox)
        self.existingRadio.setObjectName(u"existingRadio")

        self.keyLayout.addWidget(self.existingRadio)

        self.existingPanel = QWidget(self.keyBox)
        self.existingPanel.setObjectName(u"existingPanel")
        self.existingForm = QFormLayout(self.existingPanel)
        self.existingForm.setObjectName(u"existingForm")
        self.existingForm.setContentsMargins(24, 0, 0, 0)
        self.keyEditLabel = QLabel(self.existingPanel)
        self.keyEditLabel.setObjectName(u"keyEditLabel")

        self.existingForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.keyEditLabel)

        self.keyEditBox = QWidget(self.existingPanel)
        self.keyEditBox.setObjectName(u"keyEditBox")
        self.keyEditBoxLayout = QVBoxLayout(self.keyEditBox)
        self.keyEditBoxLayout.setSpacing(3)
        self.keyEditBoxLayout.setObjectName(u"keyEditBoxLayout")
        self.keyEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.keyEditRow = QHBoxLayout()
        self.keyEditRow.setObjectName(u"keyEditRow")
        self.keyEdit = QLineEdit(self.keyEditBox)
        self.keyEdit.setObjectName(u"keyEdit")

        self.keyEditRow.addWidget(self.keyEdit)

        self.browseKeyButton = QPushButton(self.keyEditBox)
        self.browseKeyButton.setObjectName(u"browseKeyButton")
        self.browseKeyButton.setAutoDefault(False)

        self.keyEditRow.addWidget(self.browseKeyButton)

        self.keyEditRow.setStretch(0, 1)

        self.keyEditBoxLayout.addLayout(self.keyEditRow)

        self.keyPathError = QLabel(self.keyEditBox)
        self.keyPathError.setObjectName(u"keyPathError")
        self.keyPathError.setWordWrap(True)

        self.keyEditBoxLayout.addWidget(self.keyPathError)


        self.existingForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.keyEditBox)

        self.keyPassphraseLabel = QLabel(self.existingPanel)
        self.keyPassphraseLabel.setObjectName(u"keyPassphraseLabel")

        self.existingForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.keyPassphraseLabel)

        self.keyPassphraseEdit = QLineEdit(self.existingPanel)
        self.keyPassphraseEdit.setObjectName(u"keyPassphraseEdit")
        self.keyPassphraseEdit.setEchoMode(QLineEdit.Password)

        self.existingForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.keyPassphraseEdit)


        self.keyLayout.addWidget(self.existingPanel)

        self.keyLine = QFrame(self.keyBox)
        self.keyLine.setObjectName(u"keyLine")
        self.keyLine.setFrameShape(QFrame.Shape.HLine)
        self.keyLine.setFrameShadow(QFrame.Shadow.Sunken)

        self.keyLayout.addWidget(self.keyLine)

        self.fingerprintForm = QFormLayout()
        self.fingerprintForm.setObjectName(u"fingerprintForm")
        self.fingerprintEditLabel = QLabel(self.keyBox)
        self.fingerprintEditLabel.setObjectName(u"fingerprintEditLabel")

        self.fingerprintForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.fingerprintEditLabel)

        self.fingerprintEditBox = QWidget(self.keyBox)
        self.fingerprintEditBox.setObjectName(u"fingerprintEditBox")
        self.fingerprintEditBoxLayout = QVBoxLayout(self.fingerprintEditBox)
        self.fingerprintEditBoxLayout.setSpacing(3)
        self.fingerprintEditBoxLayout.setObjectName(u"fingerprintEditBoxLayout")
        self.fingerprintEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.fingerprintEdit = QLineEdit(self.fingerprintEditBox)
        self.fingerprintEdit.setObjectName(u"fingerprintEdit")
        self.fingerprintEdit.setReadOnly(True)

        self.fingerprintEditBoxLayout.addWidget(self.fingerprintEdit)

        self.keyError = QLabel(self.fingerprintEditBox)
        self.keyError.setObjectName(u"keyError")
        self.keyError.setWordWrap(True)

        self.fingerprintEditBoxLayout.addWidget(self.keyError)


        self.fingerprintForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.fingerprintEditBox)


        self.keyLayout.addLayout(self.fingerprintForm)

        self.rememberCheck = QCheckBox(self.keyBox)
        self.rememberCheck.setObjectName(u"rememberCheck")

        self.keyLayout.addWidget(self.rememberCheck)

        self.rememberNote = QLabel(self.keyBox)
        self.rememberNote.setObjectName(u"rememberNote")
        self.rememberNote.setWordWrap(True)

        self.keyLayout.addWidget(self.rememberNote)

        self.publicPanel = QWidget(self.keyBox)
        self.publicPanel.setObjectName(u"publicPanel")
        self.publicLayout = QVBoxLayout(self.publicPanel)
        self.publicLayout.setSpacing(4)
        self.publicLayout.setObjectName(u"publicLayout")
        self.publicLayout.setContentsMargins(0, 4, 0, 0)
        self.publicInstructions = QLabel(self.publicPanel)
        self.publicInstructions.setObjectName(u"publicInstructions")
        self.publicInstructions.setWordWrap(True)

        self.publicLayout.addWidget(self.publicInstructions)

        self.publicKeyView = CodeView(self.publicPanel)
        self.publicKeyView.setObjectName(u"publicKeyView")

        self.publicLayout.addWidget(self.publicKeyView)


        self.keyLayout.addWidget(self.publicPanel)


        self.createBodyLayout.addWidget(self.keyBox)

        self.saveBox = QGroupBox(self.createBody)
        self.saveBox.setObjectName(u"saveBox")
        self.saveForm = QFormLayout(self.saveBox)
        self.saveForm.setObjectName(u"saveForm")
        self.saveForm.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.nameEditLabel = QLabel(self.saveBox)
        self.nameEditLabel.setObjectName(u"nameEditLabel")

        self.saveForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.nameEditLabel)

        self.nameEditBox = QWidget(self.saveBox)
        self.nameEditBox.setObjectName(u"nameEditBox")
        self.nameEditBoxLayout = QVBoxLayout(self.nameEditBox)
        self.nameEditBoxLayout.setSpacing(3)
        self.nameEditBoxLayout.setObjectName(u"nameEditBoxLayout")
        self.nameEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.nameEdit = QLineEdit(self.nameEditBox)
        self.nameEdit.setObjectName(u"nameEdit")

        self.nameEditBoxLayout.addWidget(self.nameEdit)

        self.nameError = QLabel(self.nameEditBox)
        self.nameError.setObjectName(u"nameError")
        self.nameError.setWordWrap(True)

        self.nameEditBoxLayout.addWidget(self.nameError)

        self.nameNote = QLabel(self.nameEditBox)
        self.nameNote.setObjectName(u"nameNote")
        self.nameNote.setWordWrap(True)

        self.nameEditBoxLayout.addWidget(self.nameNote)


        self.saveForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.nameEditBox)

        self.configEditLabel = QLabel(self.saveBox)
        self.configEditLabel.setObjectName(u"configEditLabel")

        self.saveForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.configEditLabel)

        self.configEditBox = QWidget(self.saveBox)
        self.configEditBox.setObjectName(u"configEditBox")
        self.configEditBoxLayout = QVBoxLayout(self.configEditBox)
        self.configEditBoxLayout.setSpacing(3)
        self.configEditBoxLayout.setObjectName(u"configEditBoxLayout")
        self.configEditBoxLayout.setContentsMargins(0, 0, 0, 0)
        self.configEditRow = QHBoxLayout()
        self.configEditRow.setObjectName(u"configEditRow")
        self.configEdit = QLineEdit(self.configEditBox)
        self.configEdit.setObjectName(u"configEdit")

        self.configEditRow.addWidget(self.configEdit)

        self.browseConfigButton = QPushButton(self.configEditBox)
        self.browseConfigButton.setObjectName(u"browseConfigButton")
        self.browseConfigButton.setAutoDefault(False)

        self.configEditRow.addWidget(self.browseConfigButton)

        self.configEditRow.setStretch(0, 1)

        self.configEditBoxLayout.addLayout(self.configEditRow)

        self.configError = QLabel(self.configEditBox)
        self.configError.setObjectName(u"configError")
        self.configError.setWordWrap(True)

        self.configEditBoxLayout.addWidget(self.configError)


        self.saveForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.configEditBox)


        self.createBodyLayout.addWidget(self.saveBox)

        self.createSpacer = QSpacerItem(20, 10, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.createBodyLayout.addItem(self.createSpacer)

        self.createScroll.setWidget(self.createBody)

        self.createLayout.addWidget(self.createScroll)

        self.createFoot = QVBoxLayout()
        self.createFoot.setObjectName(u"createFoot")
        self.createFoot.setContentsMargins(28, 0, 28, 18)
        self.saveError = QLabel(self.createPage)
        self.saveError.setObjectName(u"saveError")
        self.saveError.setWordWrap(True)

        self.createFoot.addWidget(self.saveError)

        self.createLine = QFrame(self.createPage)
        self.createLine.setObjectName(u"createLine")
        self.createLine.setFrameShape(QFrame.Shape.HLine)
        self.createLine.setFrameShadow(QFrame.Shadow.Sunken)

        self.createFoot.addWidget(self.createLine)

        self.createButtons = QHBoxLayout()
        self.createButtons.setObjectName(u"createButtons")
        self.createBackButton = QPushButton(self.createPage)
        self.createBackButton.setObjectName(u"createBackButton")
        self.createBackButton.setAutoDefault(False)

        self.createButtons.addWidget(self.createBackButton)

        self.createButtonsSpacer = QSpacerItem(10, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.createButtons.addItem(self.createButtonsSpacer)

        self.createCancelButton = QPushButton(self.createPage)
        self.createCancelButton.setObjectName(u"createCancelButton")
        self.createCancelButton.setAutoDefault(False)

        self.createButtons.addWidget(self.createCancelButton)

        self.saveButton = QPushButton(self.createPage)
        self.saveButton.setObjectName(u"saveButton")

        self.createButtons.addWidget(self.saveButton)


        self.createFoot.addLayout(self.createButtons)


        self.createLayout.addLayout(self.createFoot)

        self.createLayout.setStretch(0, 1)
        self.pages.addWidget(self.createPage)

        self.outerLayout.addWidget(self.pages)


        self.retranslateUi(FirstRunDialog)

        QMetaObject.connectSlotsByName(FirstRunDialog)
    # setupUi

    def retranslateUi(self, FirstRunDialog):
        FirstRunDialog.setWindowTitle(QCoreApplication.translate("FirstRunDialog", u"Welcome to OCI Console", None))
        self.welcomeHeading.setText(QCoreApplication.translate("FirstRunDialog", u"Welcome to OCI Console", None))
        self.welcomeText.setText("")
        self.demoButton.setText(QCoreApplication.translate("FirstRunDialog", u"Try the demo sandbox", None))
        self.demoButton.setDescription(QCoreApplication.translate("FirstRunDialog", u"Explore a simulated tenancy that runs on this computer. No Oracle Cloud account needed; nothing you do here touches real resources.", None))
        self.existingButton.setText(QCoreApplication.translate("FirstRunDialog", u"Use an existing OCI config file\u2026", None))
        self.existingButton.setDescription(QCoreApplication.translate("FirstRunDialog", u"Pick a config file written by the oci CLI or the OCI Console, then one of its profiles (API key or session token).", None))
        self.createButton.setText(QCoreApplication.translate("FirstRunDialog", u"Create an API-key profile", None))
        self.createButton.setDescription(QCoreApplication.translate("FirstRunDialog", u"Enter your user and tenancy OCIDs, choose a region, and use your key or generate a new key pair.", None))
        self.envHelp.setText(QCoreApplication.translate("FirstRunDialog", u"Like the oci CLI, the console reads the config file named by OCI_CLI_CONFIG_FILE, else ~/.oci/config, and the profile named by OCI_CLI_PROFILE, else DEFAULT.", None))
        self.welcomeCancelButton.setText(QCoreApplication.translate("FirstRunDialog", u"Cancel", None))
        self.profilesHeading.setText(QCoreApplication.translate("FirstRunDialog", u"Choose a profile", None))
        self.profilesPathLabel.setText("")
        self.otherFileButton.setText(QCoreApplication.translate("FirstRunDialog", u"Choose another file\u2026", None))
        self.profilesError.setText("")
        self.profileProblem.setText("")
        self.profilesBackButton.setText(QCoreApplication.translate("FirstRunDialog", u"Back", None))
        self.profilesCancelButton.setText(QCoreApplication.translate("FirstRunDialog", u"Cancel", None))
        self.useButton.setText(QCoreApplication.translate("FirstRunDialog", u"Use this profile", None))
        self.createHeading.setText(QCoreApplication.translate("FirstRunDialog", u"Create an API-key profile", None))
        self.createIntro.setText(QCoreApplication.translate("FirstRunDialog", u"The console signs its requests with an API key of your OCI user. In the OCI Console, open the <b>Profile</b> menu (top right): <b>User settings</b> shows your user OCID, <b>Tenancy</b> shows the tenancy OCID.", None))
        self.accountBox.setTitle(QCoreApplication.translate("FirstRunDialog", u"Account", None))
        self.userEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"User OCID:", None))
        self.userEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"ocid1.user.oc1..aaaa\u2026", None))
        self.userError.setText("")
        self.tenancyEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Tenancy OCID:", None))
        self.tenancyEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"ocid1.tenancy.oc1..aaaa\u2026", None))
        self.tenancyError.setText("")
        self.regionLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Home region:", None))
        self.keyBox.setTitle(QCoreApplication.translate("FirstRunDialog", u"API signing key", None))
        self.generateRadio.setText(QCoreApplication.translate("FirstRunDialog", u"Generate a new key pair", None))
        self.newPassphraseLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Passphrase:", None))
        self.newPassphraseEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"optional", None))
        self.confirmPassphraseEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Confirm:", None))
        self.confirmPassphraseEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"type it again", None))
        self.confirmError.setText("")
        self.generateButton.setText(QCoreApplication.translate("FirstRunDialog", u"Generate key pair", None))
        self.generateNote.setText("")
        self.existingRadio.setText(QCoreApplication.translate("FirstRunDialog", u"Use an existing private key", None))
        self.keyEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Private key:", None))
        self.keyEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"~/.oci/oci_api_key.pem", None))
        self.browseKeyButton.setText(QCoreApplication.translate("FirstRunDialog", u"Browse\u2026", None))
        self.keyPathError.setText("")
        self.keyPassphraseLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Passphrase:", None))
        self.keyPassphraseEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"only if the key is protected by one", None))
        self.fingerprintEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Fingerprint:", None))
        self.fingerprintEdit.setPlaceholderText(QCoreApplication.translate("FirstRunDialog", u"computed from the key", None))
        self.keyError.setText("")
        self.rememberCheck.setText(QCoreApplication.translate("FirstRunDialog", u"Remember the passphrase in the system keyring", None))
        self.rememberNote.setText("")
        self.publicInstructions.setText(QCoreApplication.translate("FirstRunDialog", u"<b>Add this public key to your user</b> before you connect: in the OCI Console open <b>Profile \u203a User settings \u203a API keys \u203a Add API key</b>, choose <b>Paste a public key</b>, paste it, and check that the fingerprint shown there matches the one above.", None))
        self.saveBox.setTitle(QCoreApplication.translate("FirstRunDialog", u"Save as", None))
        self.nameEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Profile name:", None))
        self.nameError.setText("")
        self.nameNote.setText("")
        self.configEditLabel.setText(QCoreApplication.translate("FirstRunDialog", u"Config file:", None))
        self.browseConfigButton.setText(QCoreApplication.translate("FirstRunDialog", u"Browse\u2026", None))
        self.configError.setText("")
        self.saveError.setText("")
        self.createBackButton.setText(QCoreApplication.translate("FirstRunDialog", u"Back", None))
        self.createCancelButton.setText(QCoreApplication.translate("FirstRunDialog", u"Cancel", None))
        self.saveButton.setText(QCoreApplication.translate("FirstRunDialog", u"Save profile", None))
    # retranslateUi

