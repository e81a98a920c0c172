import Testing
import KlientSim
@Test func simPlaceholder() { #expect(!KlientSimInfo.kubernetesVersion.isEmpty) }
