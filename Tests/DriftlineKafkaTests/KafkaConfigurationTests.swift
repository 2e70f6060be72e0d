import DriftlineKafka
import DriftlineTestSupport
import Testing

@Suite("KafkaConfiguration")
struct KafkaConfigurationTests {
    @Test func unknownPropertyIsNamedInTheError() throws {
        let configuration = KafkaConfiguration(
            bootstrapServers: "127.0.0.1:1", groupID: "g", properties: ["no.such.property": "1"])
        do {
            _ = try KafkaConsumer(configuration: configuration)
            Issue.record("an unknown property should be rejected")
        } catch let error as KafkaError {
            #expect(error.code == .configuration)
            #expect(error.property == "no.such.property")
            #expect(error.message.contains("no.such.property"))
        }
    }

    @Test func invalidValueIsNamedInTheError() throws {
        let configuration = KafkaConfiguration(
            bootstrapServers: "127.0.0.1:1", properties: ["linger.ms": "soon"])
        do {
            _ = try KafkaProducer(configuration: configuration)
            Issue.record("an invalid value should be rejected")
        } catch let error as KafkaError {
            #expect(error.code == .configuration)
            #expect(error.property == "linger.ms")
            #expect(error.message.contains("linger.ms"))
        }
    }

    @Test func rawPropertiesReachLibrdkafka() throws {
        // Valid librdkafka properties with no typed field are accepted as they are.
        let configuration = KafkaConfiguration(
            bootstrapServers: ["127.0.0.1:1", "127.0.0.1:2"],
            groupID: "g",
            clientID: "driftline",
            properties: [
                "security.protocol": "plaintext",
                "fetch.min.bytes": "1024",
                "partition.assignment.strategy": "cooperative-sticky",
                "client.rack": "rack-1",
            ])
        _ = try KafkaConsumer(configuration: configuration)
        _ = try KafkaProducer(configuration: configuration)
    }

    @Test func consumerRefusesLibrdkafkaManagedOffsets() throws {
        for property in ["enable.auto.commit", "enable.auto.offset.store"] {
            let configuration = KafkaConfiguration(
                bootstrapServers: "127.0.0.1:1", groupID: "g", properties: [property: "true"])
            do {
                _ = try KafkaConsumer(configuration: configuration)
                Issue.record("\(property)=true should be rejected")
            } catch let error as KafkaError {
                #expect(error.code == .configuration)
                #expect(error.property == property)
            }
        }
    }

    @Test func consumerNeedsAGroup() throws {
        do {
            _ = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
            Issue.record("a consumer without group id should be rejected")
        } catch let error as KafkaError {
            #expect(error.code == .configuration)
            #expect(error.property == "group.id")
        }
    }

    @Test func bootstrapServersAreSplit() {
        let configuration = KafkaConfiguration(bootstrapServers: "a:1, b:2,c:3")
        #expect(configuration.bootstrapServers == ["a:1", "b:2", "c:3"])
    }
}
